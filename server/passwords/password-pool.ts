import { randomBytes } from "node:crypto";
import os from "node:os";
import { Piscina } from "piscina";
import type { PasswordVerdict } from "../../protocol/password-policy.ts";

/**
 * Password work in a bounded worker pool. bcryptjs's async API still runs on the main thread
 * (shared/notes/performance.md), so every hash, check and strength test goes to a worker; when
 * the queue is full the caller is told to back off instead of latency growing without limit.
 */
export const PASSWORD_QUEUE_MAX_TASKS = 256;

export class PasswordPoolBusyError extends Error {
  override name = "PasswordPoolBusyError";
}

export interface PasswordPool {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /** Checks a new password against the policy; `context` holds words it must not echo. */
  judge(password: string, context: string[]): Promise<PasswordVerdict>;
  /** Checks a password against a throwaway hash, so an unknown user costs what a known one does. */
  verifyDummy(password: string): Promise<false>;
  /** Tasks finished so far, for health figures and tests. */
  completedTasks(): number;
  close(): Promise<void>;
}

export function createPasswordPool(cost: number, threads = defaultThreads()): PasswordPool {
  const pool = new Piscina({
    filename: new URL("./password-worker.mjs", import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    maxQueue: PASSWORD_QUEUE_MAX_TASKS,
    execArgv: [],
  });

  async function run<T>(name: "hash" | "verify" | "judge", task: object): Promise<T> {
    if (pool.queueSize >= PASSWORD_QUEUE_MAX_TASKS) throw new PasswordPoolBusyError("The password queue is full");
    return (await pool.run(task, { name })) as T;
  }

  const hash = (password: string) => run<string>("hash", { password, cost });
  let dummyHash: Promise<string> | undefined;

  return {
    hash,
    verify: (password, hash) => run<boolean>("verify", { password, hash }),
    judge: (password, context) => run<PasswordVerdict>("judge", { password, context }),
    async verifyDummy(password) {
      dummyHash ??= hash(randomBytes(16).toString("base64"));
      await run<boolean>("verify", { password, hash: await dummyHash });
      return false;
    },
    completedTasks: () => pool.completed,
    close: () => pool.destroy(),
  };
}

function defaultThreads(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}
