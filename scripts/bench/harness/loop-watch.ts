import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";

/** How late this process's event loop ran timers, in milliseconds, since the last reading. */
export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** A timer lateness sampled every 10 ms: what a blocked or starved event loop adds to every event. */
const SAMPLE_INTERVAL_MS = 10;

export class LoopWatch {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: SAMPLE_INTERVAL_MS });

  constructor() {
    this.histogram.enable();
  }

  /** Lateness since the previous reading; the histogram records whole intervals, so the interval is taken off. */
  read(): LoopDelay {
    const lateness = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - SAMPLE_INTERVAL_MS);
    const reading = { p50Ms: lateness(this.histogram.percentile(50)), p99Ms: lateness(this.histogram.percentile(99)), maxMs: lateness(this.histogram.max) };
    this.histogram.reset();
    return reading;
  }
}
