import { spawn } from "node:child_process";

export interface ProgramRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningProgram {
  /** Resolves when the process has exited. */
  done: Promise<ProgramRun>;
  /** Resolves with the first match of `pattern` in everything printed so far or to come. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Everything printed so far (stdout, then stderr). */
  output(): string;
  /** Types into the program's input (keys on its terminal, with `terminal: true`). */
  write(text: string): void;
  /** Closes the program's input: end of file for a pipe. */
  endInput(): void;
  signal(name: NodeJS.Signals): void;
}

export interface LaunchOptions {
  env: Record<string, string>;
  cwd?: string;
  /**
   * Runs the program on a pseudo-terminal made by util-linux `script`, as a person would, so
   * its prompts and screens appear; stdout and stderr then arrive together in `stdout`.
   */
  terminal?: boolean;
}

// Ink draws only a final frame when it believes it runs under CI; a person's terminal is not CI.
const PERSON_TERMINAL = { TERM: "xterm-256color", COLUMNS: "160", LINES: "50", CI: "false", CONTINUOUS_INTEGRATION: "false" };

/** Starts one of the project's programs (a `bin/*.mjs` file) as a real process. */
export function launchProgram(bin: string, args: string[], options: LaunchOptions): RunningProgram {
  return launchCommand([process.execPath, bin, ...args], options);
}

/** Starts a command as a shell would (found on the PATH of `options.env`, run by its own #! line). */
export function launchCommand(command: string[], options: LaunchOptions): RunningProgram {
  const bin = command[0] === process.execPath ? (command[1] as string) : (command[0] as string);
  const env = { ...withoutCiMarkers(process.env), ...options.env, ...(options.terminal ? PERSON_TERMINAL : {}) };
  const child = options.terminal
    ? spawn("script", ["--quiet", "--return", "--command", `stty cols 160 rows 50; exec ${command.map(shellQuote).join(" ")}`, "/dev/null"], { cwd: options.cwd, env })
    : spawn(command[0] as string, command.slice(1), { cwd: options.cwd, env });
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
  // Decoded by the streams, not chunk by chunk: a pseudo-terminal under load hands over output in
  // small reads that can split a multi-byte character (a QR code's ▀ ▄ █ take three bytes each),
  // and decoding each read alone turns both halves into U+FFFD.
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    stdout += chunk;
    checkWatchers();
  });
  child.stderr.on("data", (chunk: string) => {
    stderr += chunk;
    checkWatchers();
  });
  const done = new Promise<ProgramRun>((resolveRun, fail) => {
    child.on("error", fail);
    child.on("close", (code) => resolveRun({ code, stdout, stderr }));
  });
  const name = bin.split("/").pop();
  return {
    done,
    output: () => stdout + stderr,
    waitForOutput(pattern, timeoutMs = 30_000) {
      return new Promise((found, fail) => {
        const watcher = { pattern, found: (match: RegExpMatchArray) => (clearTimeout(timer), found(match)) };
        // A watcher that timed out is dropped, so a test that waits again does not pile them up.
        const timer = setTimeout(() => {
          const at = watchers.indexOf(watcher);
          if (at !== -1) watchers.splice(at, 1);
          fail(new Error(`${name} did not print ${pattern} within ${timeoutMs} ms; it printed:\n${stdout}\n${stderr}`));
        }, timeoutMs);
        watchers.push(watcher);
        checkWatchers();
      });
    },
    write: (text) => child.stdin.write(text),
    endInput: () => child.stdin.end(),
    signal: (signalName) => child.kill(signalName),
  };
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** CI runners set CI_* variables too, which Ink's CI detection also reads. */
function withoutCiMarkers(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(environment).filter(([variable]) => !variable.startsWith("CI_")));
}
