import type { BareServer } from "./harness/bare-server.ts";
import type { BcryptBaseline } from "./harness/bcrypt-baseline.ts";
import type { Cleanup } from "./harness/cleanup.ts";
import type { Workspace } from "./harness/workspace.ts";
import { unavailableFigures } from "./figures.ts";
import type { Figure } from "./report.ts";

export interface BenchSettings {
  /** bcrypt cost of the hub and of the accounts whose logins are counted. */
  cost: number;
  /** Hash threads per hub, and of the raw baseline. */
  threads: number;
  /** Idle device sockets held on one hub. */
  sockets: number;
  /** Paired devices of the reconnect storm. */
  stormDevices: number;
  /** Alternating hub/baseline rounds for login throughput and event latency. */
  rounds: number;
  windowMs: number;
  /** Counted challenge round trips per database. */
  samples: number;
  postgresAdminUrl: string;
  redisUrl: string;
  only: ReadonlySet<string> | undefined;
}

/** What every suite of one `npm run bench` shares. */
export interface BenchRun {
  settings: BenchSettings;
  workspace: Workspace;
  cleanup: Cleanup;
  /** bcrypt hashes of BENCH_PASSWORD: at the configured cost, and at the floor (4) for accounts whose hashing is not measured. */
  hashes: { configured: string; fast: string };
  baseline: BcryptBaseline;
  bare: BareServer;
  /** Whether a part (idle, login, latency, challenge, postgres, redis) is to run. */
  includes(part: string): boolean;
  progress(message: string): void;
}

/** The bcrypt cost of accounts whose password check happens outside what is measured. */
export const FAST_COST = 4;
/** Accounts with paired devices that the challenge benchmark rotates over. */
export const CHALLENGE_ACCOUNTS = 30;
/** Authenticated sockets that probe latency: 200 probes/s at 5/s each, half the hub's per-socket budget. */
export const PROBE_ACCOUNTS = 40;

/** Closed-loop login lanes per hash thread: enough queued work that a thread never waits for the next login. */
export const LOGIN_LANES_PER_THREAD = 3;

/**
 * Runs one part of the bench, if it was asked for. A part that fails becomes rows that say so,
 * and the run goes on to the next part.
 */
export async function measurePart(run: BenchRun, part: string, benchmarks: readonly string[], measure: () => Promise<Figure[]>): Promise<Figure[]> {
  if (!run.includes(part)) return [];
  try {
    return await measure();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    run.progress(`${part} failed: ${message}`);
    return unavailableFigures(benchmarks, `failed: ${message.split("\n")[0]}`);
  }
}
