import type { Clock } from "../../server/clock.ts";

interface PendingTask {
  due: number;
  task: () => unknown;
  timer?: NodeJS.Timeout;
}

/**
 * A hub clock that runs with the machine's time until a test moves it: `advance` jumps forward
 * (an expiry, a lockout, an idle limit passes at once), and tasks the hub scheduled on it run as
 * soon as their time is reached, whether by waiting or by a jump. `hold` stops it, for things
 * that must happen in the same millisecond; `settled` waits for the work the hub put off.
 */
export class TestClock implements Clock {
  private offsetMs = 0;
  private heldAt: number | undefined;
  private readonly pending = new Set<PendingTask>();
  private readonly running = new Set<Promise<unknown>>();

  now(): Date {
    return new Date(this.heldAt ?? Date.now() + this.offsetMs);
  }

  schedule(ms: number, task: () => unknown): () => void {
    const entry: PendingTask = { due: this.now().getTime() + ms, task };
    this.pending.add(entry);
    this.arm(entry);
    return () => {
      clearTimeout(entry.timer);
      this.pending.delete(entry);
    };
  }

  /** Moves the time forward by `ms`; scheduled tasks now due run at once. */
  advance(ms: number): void {
    if (this.heldAt !== undefined) this.heldAt += ms;
    else this.offsetMs += ms;
    for (const entry of this.pending) this.arm(entry);
  }

  /** Stops the time where it is until `release`. */
  hold(): void {
    this.heldAt = this.now().getTime();
  }

  /** Lets the time run again, from where it was held. */
  release(): void {
    if (this.heldAt === undefined) return;
    this.offsetMs = this.heldAt - Date.now();
    this.heldAt = undefined;
    for (const entry of this.pending) this.arm(entry);
  }

  /**
   * Resolves once every task due by now has run to its end: what the hub put off (an email sent
   * after the answer, an expiry notice) is done, so a test can check that nothing more happened.
   */
  async settled(): Promise<void> {
    for (;;) {
      const now = this.now().getTime();
      const due = [...this.pending].some((entry) => entry.due <= now);
      if (!due && this.running.size === 0) return;
      await Promise.allSettled([...this.running]);
      if (due) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** (Re)sets the real timer for the time left until `entry` is due on this clock. */
  private arm(entry: PendingTask): void {
    clearTimeout(entry.timer);
    const left = entry.due - this.now().getTime();
    // While held, only what is already due runs; the rest waits for a jump or the release.
    if (this.heldAt !== undefined && left > 0) return;
    entry.timer = setTimeout(() => this.run(entry), Math.max(0, left));
    entry.timer.unref();
  }

  private run(entry: PendingTask): void {
    this.pending.delete(entry);
    const result = entry.task();
    if (!(result instanceof Promise)) return;
    this.running.add(result);
    const done = () => this.running.delete(result);
    result.then(done, done);
  }
}
