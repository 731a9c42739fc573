import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { TestHub } from "./hub.ts";

const REPO = path.resolve(import.meta.dirname, "../..");

/** A hub as a separate process, started as `npm start` starts it. */
export interface HubProcess {
  url: string;
  ca: string;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash or the kernel's OOM killer ends it: no handler runs. Waits for the exit. */
  kill(): Promise<void>;
  /** What the socket helpers (connectClient, connectDevice, ...) need of a hub. */
  asTestHub(): TestHub;
}

/** Runs server/main.ts under tsx with `env`, on a free port; resolves once it serves. */
export async function launchHubProcess(env: Record<string, string>, cwd: string): Promise<HubProcess> {
  // tsx's loader in the hub's own process (not tsx's command line, which runs the hub as a child
  // of its own): a signal, SIGKILL included, then reaches the hub itself.
  const loader = pathToFileURL(path.join(REPO, "node_modules/tsx/dist/esm/index.mjs")).href;
  const child = spawn(process.execPath, ["--import", loader, path.join(REPO, "server/main.ts")], {
    cwd,
    env: { ...process.env, PAIRGATE_PORT: "0", PAIRGATE_BCRYPT_COST: "4", PAIRGATE_HASH_THREADS: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on("data", () => {
      const match = /ready at (https:\/\/\S+) \(clients trust (\S+)\)/.exec(text);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`the hub process exited with ${code} before serving:\n${text}`)));
  });
  const caFile = /clients trust (\S+)\)/.exec(text)![1]!;
  const ca = readFileSync(caFile, "utf8");
  return {
    url,
    ca,
    output: () => text,
    stop: () => stopProcess(child, "SIGTERM"),
    kill: () => stopProcess(child, "SIGKILL"),
    asTestHub: () => ({ url, ca, caFile }) as TestHub,
  };
}

function stopProcess(child: ChildProcess, signal: "SIGTERM" | "SIGKILL"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  return exited;
}
