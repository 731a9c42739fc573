// What each password worker thread runs: its priority lowered, then the tasks of
// password-tasks.ts. From the sources it is loaded by password-worker.mjs (through tsx); the
// build compiles it to dist/password-worker.js (tsup.config.ts), which the pool loads directly.
import { readlinkSync } from "node:fs";
import os from "node:os";
import { preparePasswordJudge } from "../../common/password-policy.ts";

// Hashing is throughput work and socket replies are latency work. On Linux each thread has its
// own nice value, so the hash threads step aside whenever the event loop needs a core, and still
// get every core it leaves idle. With them at nice 0, an acked event's p99 under saturating
// logins was 3.5-5 times its idle p99 (npm run bench; docs/PERFORMANCE.md).
const HASH_THREAD_NICE = 10;

function lowerThisThreadsPriority(): void {
  // Elsewhere Node offers no per-thread priority: the threads keep the process's.
  if (process.platform !== "linux") return;
  try {
    const threadId = Number(readlinkSync("/proc/thread-self").split("/").pop());
    os.setPriority(threadId, HASH_THREAD_NICE);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.warn(`password worker: hash thread left at normal priority, so hashing may delay socket events (${reason})`);
  }
}

/**
 * The strength dictionaries take about 0.7 s of CPU per thread to load. They load a few seconds
 * after the thread starts: not during the hub's own start and its first wave of reconnecting
 * authenticators, which need the same cores, yet before most first sign-ups. A judge task that
 * comes first loads them itself.
 */
const JUDGE_WARM_UP_DELAY_MS = 5_000;

lowerThisThreadsPriority();
setTimeout(preparePasswordJudge, JUDGE_WARM_UP_DELAY_MS).unref();

export { hash, judge, verify } from "./password-tasks.ts";
