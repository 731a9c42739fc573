import { spawn } from "node:child_process";
import path from "node:path";
import type { TestHub } from "./hub.ts";
import { openAdmission } from "../../server/passwords/fair-queue.ts";
import { testDatabaseKind } from "./test-database.ts";

const REPO = path.resolve(import.meta.dirname, "../..");

export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

// The hub's settings come only from each test's own variables.
const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("PAIRGATE_") && name !== "DATABASE_URL"));

/** `pairgate-hub ARGS` as installed (bin/pairgate-hub.mjs), in its own process, run in `cwd`. */
export function runHubCommand(args: string[], env: Record<string, string>, cwd: string): Promise<CommandRun> {
  const child = spawn(process.execPath, [path.join(REPO, "bin/pairgate-hub.mjs"), ...args], {
    cwd,
    env: { ...inherited, PAIRGATE_LOG_LEVEL: "silent", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

/** A test hub's settings as its operator would give them to the commands: its data folder, and its database when that is not SQLite there. */
export function commandEnv(hub: Pick<TestHub, "dataDir" | "settings">): Record<string, string> {
  return { PAIRGATE_DATA_DIR: hub.dataDir, ...(testDatabaseKind() === "postgresql" ? { DATABASE_URL: hub.settings.databaseUrl } : {}) };
}

/**
 * Lets the hub's password workers load (the strength checker's dictionaries, bcrypt) before the
 * first socket call, whose ack waits at most 10 s: on a busy machine a cold worker takes longer.
 */
export async function warmPasswordWorkers(hub: TestHub): Promise<void> {
  const admission = openAdmission("127.0.0.1");
  await hub.hub.context.passwords.judge("warm-up-password-1", [], admission);
  await hub.hub.context.passwords.hash("warm-up-password-1", admission);
}
