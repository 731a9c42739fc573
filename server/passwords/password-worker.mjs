// Entry point of the password worker threads. Workers start without the parent's TypeScript
// loader (Node 20 does not carry module hooks into workers), so this plain module loads the
// TypeScript tasks through tsx's API.
import { readlinkSync } from "node:fs";
import os from "node:os";
import { tsImport } from "tsx/esm/api";

// Hashing is throughput work and socket replies are latency work. On Linux each thread has its
// own nice value, so the hash threads step aside whenever the event loop needs a core, and still
// get every core it leaves idle. With them at nice 0, an acked event's p99 under saturating
// logins was 3.5-5 times its idle p99 (npm run bench; docs/PERFORMANCE.md).
const HASH_THREAD_NICE = 10;

function lowerThisThreadsPriority() {
  // Elsewhere Node offers no per-thread priority: the threads keep the process's.
  if (process.platform !== "linux") return;
  try {
    const threadId = Number(readlinkSync("/proc/thread-self").split("/").pop());
    os.setPriority(threadId, HASH_THREAD_NICE);
  } catch (error) {
    console.warn(`password worker: hash thread left at normal priority, so hashing may delay socket events (${error.message})`);
  }
}

lowerThisThreadsPriority();
const tasks = await tsImport("./password-tasks.ts", import.meta.url);

export const hash = tasks.hash;
export const verify = tasks.verify;
export const judge = tasks.judge;
