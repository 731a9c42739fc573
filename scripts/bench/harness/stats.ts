/** Small statistics for the benchmarks: nearest-rank percentiles, medians and steady rates. */

/** Nearest-rank percentile (`p` in 0..100) of the samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/**
 * Completions per second between the first and the last completion seen, so that a window's
 * ramp-up and a task cut off at its end do not count: (n - 1) intervals over their span.
 */
export function steadyRate(completionTimesMs: readonly number[]): number {
  if (completionTimesMs.length < 2) return Number.NaN;
  const sorted = [...completionTimesMs].sort((a, b) => a - b);
  const spanSeconds = (sorted.at(-1)! - sorted[0]!) / 1000;
  return spanSeconds > 0 ? (sorted.length - 1) / spanSeconds : Number.NaN;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
