/** Latency objectives: Lambda p99 duration and the age of the oldest queued message. */

/**
 * Nearest-rank percentile of raw values: the smallest value with at least p % of the values at or
 * below it, i.e. sorted[ceil(p/100 × n) − 1] (p = 0 → the minimum). Used when CloudWatch cannot
 * answer (e.g. no extended statistics for the range) and X-Ray trace durations stand in. Always an
 * observed value, never interpolated. Non-finite values are ignored; none left → null.
 */
export function percentile(values: number[], p: number): number | null {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${p}`);
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

/** Latency objective met? At the threshold counts as met (the objective reads "p99 ≤ threshold"). null → null. */
export function latencyStatus(value: number | null, threshold: number): "met" | "breached" | null {
  if (value === null) return null;
  return value <= threshold ? "met" : "breached";
}
