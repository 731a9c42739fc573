import { spawn } from "node:child_process";
import https from "node:https";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** How often the health check is asked while a server starts: the resolution of the figure. */
const HEALTH_POLL_INTERVAL_MS = 5;
/** A start that takes longer is stuck: the run stops with what it printed. The first start makes
 * the certificates (two RSA keys), which alone took over a minute on a machine at load average 30. */
const START_TIMEOUT_MS = 300_000;

export interface Command {
  label: string;
  argv: string[];
  env?: NodeJS.ProcessEnv;
}

/** Wall time from spawn to exit of a command that must exit 0, in ms. */
export async function timeToExit(command: Command, cwd: string): Promise<number> {
  const started = performance.now();
  const [program, ...args] = command.argv as [string, ...string[]];
  const child = spawn(program, args, { cwd, env: command.env ?? process.env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => child.once("error", reject).once("close", resolve));
  const elapsed = performance.now() - started;
  if (code !== 0) throw new Error(`${command.label} exited ${code}: ${stderr.trim()}`);
  return elapsed;
}

/**
 * Wall time from spawn until GET /api/health answers 200 over TLS (trusting `ca()`, asked each
 * time, since a first start makes it), in ms; the
 * server is then stopped with SIGTERM and awaited, so the next start finds its port and files free.
 */
export async function timeToHealthy(command: Command, cwd: string, port: number, ca: () => string | undefined): Promise<number> {
  const started = performance.now();
  const [program, ...args] = command.argv as [string, ...string[]];
  const child = spawn(program, args, { cwd, env: command.env ?? process.env, stdio: ["ignore", "ignore", "pipe"] });
  let output = "";
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  try {
    while (!(await healthy(port, ca()))) {
      if (exitCode !== undefined) throw new Error(`${command.label} exited ${exitCode} before it was healthy: ${output.trim()}`);
      if (performance.now() - started > START_TIMEOUT_MS) throw new Error(`${command.label} was not healthy after ${START_TIMEOUT_MS} ms: ${output.trim()}`);
      await sleep(HEALTH_POLL_INTERVAL_MS);
    }
    return performance.now() - started;
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

function healthy(port: number, ca: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (ca === undefined) return resolve(false);
    const request = https.get({ host: "127.0.0.1", port, path: "/api/health", ca, agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on("error", () => resolve(false));
  });
}

/** A port nothing listens on now, for servers that must be told theirs before they start. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
