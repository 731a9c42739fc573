import { randomBytes } from "node:crypto";
import os from "node:os";
import { Piscina } from "piscina";
import { FairQueue, type Admission } from "./fair-queue.ts";
import type { PasswordVerdict } from "../../common/password-policy.ts";
import { RUNS_COMPILED } from "../../common/package-files.ts";

/**
 * Password work in a bounded worker pool. bcryptjs's async API still runs on the main thread
 *, so every hash, check and strength test goes to a worker. Tasks
 * wait in a FairQueue (fair-queue.ts), which hands a worker its next task only when one is free;
 * when the caller's lane or share is full it is told to back off instead of latency growing
 * without limit. Every call says whom it is for (an Admission), so the queue can be fair.
 */
export class PasswordPoolBusyError extends Error {
  override name = "PasswordPoolBusyError";
}

export interface PasswordPool {
  hash(password: string, admission: Admission): Promise<string>;
  verify(password: string, hash: string, admission: Admission): Promise<boolean>;
  /** Checks a new password against the policy; `context` holds words it must not echo. */
  judge(password: string, context: string[], admission: Admission): Promise<PasswordVerdict>;
  /** Checks a password against a throwaway hash, so an unknown user costs what a known one does. */
  verifyDummy(password: string, admission: Admission): Promise<false>;
  /** Throws PasswordPoolBusyError now if a task for this caller would be refused, before the caller reads the database for it. */
  assertRoomFor(admission: Admission): void;
  /** Tasks finished so far, for health figures and tests. */
  completedTasks(): number;
  /** Tasks admitted but waiting for a free worker: the hash queue's length, for /metrics. */
  waitingTasks(): number;
  close(): Promise<void>;
}

export function createPasswordPool(cost: number, threads = defaultThreads()): PasswordPool {
  const pool = new Piscina({
    filename: workerFile(),
    minThreads: threads,
    maxThreads: threads,
    execArgv: [],
  });
  const queue = new FairQueue();
  let running = 0;
  let waiting = 0;

  // Piscina's own queue stays empty: a task reaches it only when a thread is free for it.
  function startWaitingTasks(): void {
    while (running < threads) {
      const job = queue.take();
      if (!job) return;
      running += 1;
      job();
    }
  }

  function run<T>(name: "hash" | "verify" | "judge", task: object, admission: Admission): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const admitted = queue.offer(admission, () => {
        waiting -= 1;
        pool
          .run(task, { name })
          .then((result) => resolve(result as T), reject)
          .finally(() => {
            running -= 1;
            queue.release(admission);
            startWaitingTasks();
          });
      });
      if (!admitted) return reject(new PasswordPoolBusyError("The password queue is full for this caller"));
      waiting += 1;
      startWaitingTasks();
    });
  }

  const hash = (password: string, admission: Admission) => run<string>("hash", { password, cost }, admission);
  let dummyHash: Promise<string> | undefined;

  return {
    hash,
    verify: (password, hash, admission) => run<boolean>("verify", { password, hash }, admission),
    judge: (password, context, admission) => run<PasswordVerdict>("judge", { password, context }, admission),
    async verifyDummy(password, admission) {
      // Made once, outside any caller's share: it is the hub's own work, not the caller's.
      dummyHash ??= pool.run({ password: randomBytes(16).toString("base64"), cost }, { name: "hash" }) as Promise<string>;
      await run<boolean>("verify", { password, hash: await dummyHash }, admission);
      return false;
    },
    assertRoomFor(admission) {
      if (!queue.hasRoomFor(admission)) throw new PasswordPoolBusyError("The password queue is full for this caller");
    },
    completedTasks: () => pool.completed,
    waitingTasks: () => waiting,
    close: () => pool.destroy(),
  };
}

/** The compiled hub's worker sits beside its chunks in dist/; from the sources, tsx loads password-thread.ts. */
function workerFile(): string {
  return new URL(RUNS_COMPILED ? "./password-worker.js" : "./password-worker.mjs", import.meta.url).href;
}

function defaultThreads(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}
