import { execFile, execFileSync } from "node:child_process";
import path from "node:path";

// Debian's interpreter: a python3 earlier on PATH (pyenv, venv) does not see Debian's packages.
const PYTHON = "/usr/bin/python3";
const EVENT_SCRIPTS = path.resolve(import.meta.dirname, "../../scripts/events");

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The Python scripts' tools must be there: a missing one fails the test, naming the Debian package. */
export function requirePythonSocketIo({ oathtool = false } = {}): void {
  try {
    execFileSync(PYTHON, ["-c", "import socketio, aiohttp"], { stdio: "pipe" });
  } catch (error) {
    throw new Error(
      `${PYTHON} cannot import socketio and aiohttp. Install Debian's Python Socket.IO client, as .ci/run does:\n` +
        `  apt-get install -y python3-socketio python3-aiohttp\n(${reasonOf(error)})`,
    );
  }
  if (!oathtool) return;
  try {
    execFileSync("oathtool", ["--version"], { stdio: "pipe" });
  } catch (error) {
    throw new Error(`oathtool is missing. Install Debian's oathtool package, as .ci/run does:\n  apt-get install -y oathtool\n(${reasonOf(error)})`);
  }
}

/** Runs scripts/events/<name> without blocking the event loop: the hub answers from this same process. */
export function runPythonScript(name: string, args: string[], timeoutMs = 90_000): Promise<ScriptRun> {
  return new Promise((resolve) => {
    const child = execFile(PYTHON, [path.join(EVENT_SCRIPTS, name), ...args], { timeout: timeoutMs }, (_error, stdout, stderr) => {
      resolve({ code: child.exitCode, stdout, stderr });
    });
  });
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
