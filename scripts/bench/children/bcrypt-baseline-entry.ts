// The physical limit of login throughput: raw bcryptjs checks per second in N worker threads
// of one process, with nothing else to do. Run by scripts/bench only.
import { Worker } from "node:worker_threads";
import { announce, answerRequests } from "../harness/child-ipc.ts";
import { readThreadTimes } from "../harness/thread-times.ts";

const workers: Worker[] = [];

function workerAt(index: number): Worker {
  while (workers.length <= index) workers.push(new Worker(new URL("./bcrypt-worker.mjs", import.meta.url)));
  return workers[index]!;
}

function runOn(worker: Worker, task: { password: string; hash: string; durationMs: number }): Promise<{ checks: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.postMessage(task);
  });
}

answerRequests({
  threadTimes: () => readThreadTimes() ?? null,
  /**
   * Every thread checks for at least `durationMs`; each thread's rate counts whole checks only,
   * over the time they took, and the threads' rates add up.
   */
  async measure({ threads, password, hash, durationMs }: { threads: number; password: string; hash: string; durationMs: number }) {
    const runs = await Promise.all(Array.from({ length: threads }, (_, index) => runOn(workerAt(index), { password, hash, durationMs })));
    return { checks: runs.reduce((sum, run) => sum + run.checks, 0), perSecond: runs.reduce((sum, run) => sum + run.checks / run.seconds, 0) };
  },
});
announce("ready");
