import type { Logger } from "../logger.ts";

/** How often the hub says how many unknown events it refused: a flood of them is one line per interval, not one per event. */
export const UNKNOWN_EVENTS_LOG_INTERVAL_SECONDS = 60;

type Schedule = (task: () => void, ms: number) => void;

const unrefTimer: Schedule = (task, ms) => setTimeout(task, ms).unref();

/**
 * Counts refused unknown events. The first of an interval is logged at once (someone may be
 * debugging a client); the rest are summed and logged as one line when the interval ends.
 */
export class UnknownEventTally {
  private counting = false;
  private count = 0;

  constructor(
    private readonly log: Logger,
    private readonly schedule: Schedule = unrefTimer,
  ) {}

  /** `fields` say who sent it (a socket id or a route), never the payload. */
  note(fields: Record<string, string>): void {
    if (this.counting) {
      this.count += 1;
      return;
    }
    this.counting = true;
    this.log.info(fields, `unknown event refused; further ones are counted for ${UNKNOWN_EVENTS_LOG_INTERVAL_SECONDS} s`);
    this.schedule(() => this.report(), UNKNOWN_EVENTS_LOG_INTERVAL_SECONDS * 1000);
  }

  private report(): void {
    this.counting = false;
    if (this.count === 0) return;
    this.log.warn({ refused: this.count, intervalSeconds: UNKNOWN_EVENTS_LOG_INTERVAL_SECONDS }, `${this.count} unknown events refused`);
    this.count = 0;
  }
}
