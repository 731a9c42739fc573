import { BenchChild } from "./bench-child.ts";
import { cleanEnvironment } from "./hub-process.ts";
import type { ThreadTimes } from "./thread-times.ts";

export interface BaselineRun {
  checks: number;
  perSecond: number;
}

/** The raw bcryptjs baseline, in its own process: the physical limit a hub's logins are held to. */
export interface BcryptBaseline {
  /** Raw compareSync checks per second in `threads` threads, for at least `durationMs`. */
  measure(threads: number, hash: string, password: string, durationMs: number): Promise<BaselineRun>;
  threadTimes(): Promise<ThreadTimes | null>;
  stop(): Promise<void>;
}

export async function startBcryptBaseline(logDir: string): Promise<BcryptBaseline> {
  const child = BenchChild.start({ entry: "bcrypt-baseline-entry.ts", name: "bcrypt-baseline", logDir, env: cleanEnvironment() });
  await child.announcement("ready", 60_000);
  return {
    measure: (threads, hash, password, durationMs) => child.request<BaselineRun>("measure", { threads, hash, password, durationMs }, durationMs + 120_000),
    threadTimes: () => child.request<ThreadTimes | null>("threadTimes"),
    stop: () => child.stop(),
  };
}
