/**
 * Where the hub reads the time and waits for it. Expiries, lockouts and the times the hub writes
 * go through the hub's clock, so that tests can hand the hub a clock they move forward instead of
 * sleeping or editing rows. (Column defaults such as `createdAt` are still filled in by Prisma.)
 */
export interface Clock {
  now(): Date;
  /** Calls `task` once `ms` have passed on this clock; the returned function cancels it. */
  schedule(ms: number, task: () => unknown): () => void;
}

/** The machine's own time. The only place in the hub that reads it. */
export const systemClock: Clock = {
  now: () => new Date(),
  schedule(ms, task) {
    const timer = setTimeout(task, ms);
    // A pending expiry must not keep a stopping process alive.
    timer.unref();
    return () => clearTimeout(timer);
  },
};
