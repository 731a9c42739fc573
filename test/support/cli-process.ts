import { spawn } from "node:child_process";
import { resolve } from "node:path";

const BIN = resolve(import.meta.dirname, "../../bin/pairgate.mjs");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  /** Resolves when the process has exited. */
  done: Promise<CliRun>;
  /** Resolves with the first match of `pattern` in everything printed so far or to come. */
  waitForOutput(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Types into the program's input (keys on its terminal, with `terminal: true`). */
  write(text: string): void;
  /** Closes the program's input: end of file for a pipe. */
  endInput(): void;
}

export interface LaunchOptions {
  env: Record<string, string>;
  cwd?: string;
  /**
   * Runs the program on a pseudo-terminal made by util-linux `script`, as a person would, so
   * its prompts appear; stdout and stderr then arrive together in `stdout`.
   */
  terminal?: boolean;
}

/** Starts the real `pairgate` program (bin/pairgate.mjs). Without `terminal`, stdin is a plain pipe. */
export function launchCli(args: string[], options: LaunchOptions): RunningCli {
  const command = [process.execPath, BIN, ...args];
  const env = { ...process.env, ...options.env };
  const child = options.terminal
    ? spawn("script", ["--quiet", "--return", "--command", command.map(shellQuote).join(" "), "/dev/null"], { cwd: options.cwd, env })
    : spawn(command[0]!, command.slice(1), { cwd: options.cwd, env });
  let stdout = "";
  let stderr = "";
  const watchers: { pattern: RegExp; found: (match: RegExpMatchArray) => void }[] = [];
  const checkWatchers = () => {
    for (const watcher of [...watchers]) {
      const match = (stdout + stderr).match(watcher.pattern);
      if (!match) continue;
      watchers.splice(watchers.indexOf(watcher), 1);
      watcher.found(match);
    }
  };
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    checkWatchers();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
    checkWatchers();
  });
  const done = new Promise<CliRun>((resolveRun, fail) => {
    child.on("error", fail);
    child.on("close", (code) => resolveRun({ code, stdout, stderr }));
  });
  return {
    done,
    waitForOutput(pattern) {
      return new Promise((found) => {
        watchers.push({ pattern, found });
        checkWatchers();
      });
    },
    write: (text) => child.stdin.write(text),
    endInput: () => child.stdin.end(),
  };
}

/** Runs `pairgate` with no terminal, `input` on stdin (then closed), as a script would. */
export function runCli(args: string[], env: Record<string, string>, input = "", cwd?: string): Promise<CliRun> {
  const cli = launchCli(args, { env, cwd });
  cli.write(input);
  cli.endInput();
  return cli.done;
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
