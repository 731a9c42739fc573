import type { Clock } from "../../server/clock.ts";

interface PendingTask {
  due: number;
  task: () => void;
  timer?: NodeJS.Timeout;
}

/**
 * A hub clock that runs with the machine's time until a test moves it: `advance` jumps forward
 * (an expiry, a lockout, an idle limit passes at once), and tasks the hub scheduled on it run as
 * soon as their time is reached, whether by waiting or by a jump. `hold` stops it, for things
 * that must happen in the same millisecond.
 */
export class TestClock implements Clock {
  private offsetMs = 0;
  private heldAt: number | undefined;
  private readonly pending = new Set<PendingTask>();

  now(): Date {
    return new Date(this.heldAt ?? Date.now() + this.offsetMs);
  }

  schedule(ms: number, task: () => void): () => void {
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

  /** (Re)sets the real timer for the time left until `entry` is due on this clock. */
  private arm(entry: PendingTask): void {
    clearTimeout(entry.timer);
    const left = entry.due - this.now().getTime();
    // While held, only what is already due runs; the rest waits for a jump or the release.
    if (this.heldAt !== undefined && left > 0) return;
    entry.timer = setTimeout(() => {
      this.pending.delete(entry);
      entry.task();
    }, Math.max(0, left));
    entry.timer.unref();
  }
}
