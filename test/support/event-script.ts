// The TypeScript example event scripts (scripts/events/*.ts), run as real programs.
import { spawn } from "node:child_process";
import path from "node:path";

const REPO = path.resolve(import.meta.dirname, "../..");
const TSX_CLI = path.join(REPO, "node_modules/tsx/dist/cli.mjs");
const SCRIPT_TIMEOUT_MS = 25_000;

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningScript {
  done: Promise<ScriptRun>;
  /** Resolves once stderr (so far or to come) matches. */
  stderrMatch(pattern: RegExp): Promise<void>;
  /** Writes to the script's stdin, which stays open unless `input` was given. */
  type(text: string): void;
}

/**
 * Starts `node tsx/dist/cli.mjs scripts/events/<name>.ts ...` without blocking: the hub answers
 * from this same process. The environment carries no PAIRGATE_ settings but those given.
 */
export function launchScript(name: string, args: string[], options: { input?: string; env?: Record<string, string> } = {}): RunningScript {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("PAIRGATE_")));
  const child = spawn(process.execPath, [TSX_CLI, `scripts/events/${name}.ts`, ...args], {
    cwd: REPO,
    env: { ...env, ...options.env },
    timeout: SCRIPT_TIMEOUT_MS,
  });
  let stdout = "";
  let stderr = "";
  const watchers = new Set<() => void>();
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
    for (const check of watchers) check();
  });
  const done = new Promise<ScriptRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
  if (options.input !== undefined) child.stdin.end(options.input);
  return {
    done,
    stderrMatch: (pattern) =>
      new Promise((resolve) => {
        const check = () => {
          if (!pattern.test(stderr)) return;
          watchers.delete(check);
          resolve();
        };
        watchers.add(check);
        check();
      }),
    type: (text) => child.stdin.write(text),
  };
}

export const runScript = (name: string, args: string[], options: { input?: string; env?: Record<string, string> } = {}) =>
  launchScript(name, args, { input: "", ...options }).done;

export const jsonLines = (stdout: string) => stdout.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
