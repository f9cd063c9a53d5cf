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

const DAY_MS = 86_400_000;

/**
 * One whole period that covers a window ending at `endMs`, for a statistic of the whole window
 * (a p99). GetMetricData rounds StartTime down: to the minute when it is less than 15 days ago, to
 * 5 minutes at 15 to 63 days, to the hour beyond (CloudWatch API Reference, GetMetricData,
 * StartTime). An unaligned range of one period therefore comes back as a full bucket plus a
 * partial one covering the last seconds. Here the end is rounded down to that step and the start
 * is one period before it, so the range is exactly one bucket; the period is the window rounded up
 * to the step (a multiple of 60, as MetricStat's Period must be).
 */
export function wholePeriodRange(
  startMs: number,
  endMs: number,
  nowMs: number = endMs,
): { start: number; end: number; period: number } {
  let range = { start: startMs, end: endMs, period: 60 };
  for (const step of [60, 300, 3600]) {
    const stepMs = step * 1000;
    const end = Math.floor(endMs / stepMs) * stepMs;
    const period = Math.max(step, Math.ceil((endMs - startMs) / stepMs) * step);
    range = { start: end - period * 1000, end, period };
    const age = nowMs - range.start;
    if (age <= (step === 60 ? 15 : 63) * DAY_MS) break;
  }
  return range;
}

/**
 * The value of the bucket that covers [start, start + period) whole, from what GetMetricData
 * returned for a wholePeriodRange; a partial bucket at either end is ignored. null: none came back
 * (no datapoints in the window).
 */
export function fullBucketValue(
  points: { at: number; value: number }[],
  range: { start: number; end: number; period: number },
): number | null {
  const full = points.filter((p) => p.at >= range.start && p.at + range.period * 1000 <= range.end);
  return full.length ? full[0]!.value : null;
}
