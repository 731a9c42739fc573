import { spawn } from "node:child_process";
import { resolve } from "node:path";

const BIN = resolve(import.meta.dirname, "../../bin/pairgate-device.mjs");

export interface DeviceRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningDevice {
  done: Promise<DeviceRun>;
  /** Resolves with the first match of `pattern` in everything printed so far or to come. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Everything printed so far (stdout, then stderr). */
  output(): string;
  /** Types into the program (keys on its terminal, with `terminal: true`). */
  write(text: string): void;
  endInput(): void;
  signal(name: NodeJS.Signals): void;
}

/**
 * Starts the real `pairgate-device` (bin/pairgate-device.mjs). With `terminal`, it runs on a
 * pseudo-terminal made by util-linux `script`, as a person would run the Ink app.
 */
export function launchDevice(args: string[], env: Record<string, string>, options: { terminal?: boolean; cwd?: string } = {}): RunningDevice {
  const command = [process.execPath, BIN, ...args];
  // Ink draws only a final frame when it believes it runs under CI; a person's terminal is not CI.
  const person = { TERM: "xterm-256color", COLUMNS: "160", LINES: "50", CI: "false", CONTINUOUS_INTEGRATION: "false" };
  const fullEnv = { ...withoutCiMarkers(process.env), ...env, ...(options.terminal ? person : {}) };
  const child = options.terminal
    ? spawn("script", ["--quiet", "--return", "--command", `stty cols 160 rows 50; exec ${command.map(shellQuote).join(" ")}`, "/dev/null"], { cwd: options.cwd, env: fullEnv })
    : spawn(command[0] as string, command.slice(1), { cwd: options.cwd, env: fullEnv });
  let stdout = "";
  let stderr = "";
  const watchers: { pattern: RegExp; found: (match: RegExpMatchArray) => void }[] = [];
  const check = () => {
    for (const watcher of [...watchers]) {
      const match = (stdout + stderr).match(watcher.pattern);
      if (!match) continue;
      watchers.splice(watchers.indexOf(watcher), 1);
      watcher.found(match);
    }
  };
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    check();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
    check();
  });
  const done = new Promise<DeviceRun>((resolveRun, fail) => {
    child.on("error", fail);
    child.on("close", (code) => resolveRun({ code, stdout, stderr }));
  });
  return {
    done,
    output: () => stdout + stderr,
    waitForOutput(pattern, timeoutMs = 20_000) {
      return new Promise((found, fail) => {
        const timer = setTimeout(() => fail(new Error(`pairgate-device did not print ${pattern} within ${timeoutMs} ms; it printed:\n${stdout}\n${stderr}`)), timeoutMs);
        watchers.push({ pattern, found: (match) => (clearTimeout(timer), found(match)) });
        check();
      });
    },
    write: (text) => child.stdin.write(text),
    endInput: () => child.stdin.end(),
    signal: (name) => child.kill(name),
  };
}

/** Runs one `pairgate-device` command with no terminal, as a script would. */
export function runDevice(args: string[], env: Record<string, string>): Promise<DeviceRun> {
  const running = launchDevice(args, env);
  running.endInput();
  return running.done;
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** CI runners set CI_* variables too, which Ink's CI detection also reads. */
function withoutCiMarkers(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(environment).filter(([name]) => !name.startsWith("CI_")));
}
