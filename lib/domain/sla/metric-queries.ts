/**
 * Sizing CloudWatch GetMetricData requests: which period a range can use, and how many calls a set
 * of queries needs.
 */

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

/** Datapoints per query for a chart: one a minute over a day is plenty of resolution. */
export const DEFAULT_MAX_POINTS_PER_QUERY = 1440;

/** Periods a human reads easily and that CloudWatch aggregates to without gaps. */
export const NICE_PERIODS = [60, 300, 900, 3600, 21600, 86400] as const;

/** The dimension that names a resource in each namespace the console reads (CloudWatch User Guide, "AWS services that publish CloudWatch metrics"). */
export const RESOURCE_DIMENSION = {
  "AWS/SNS": "TopicName",
  "AWS/SQS": "QueueName",
  "AWS/Lambda": "FunctionName",
} as const;
export type ResourceNamespace = keyof typeof RESOURCE_DIMENSION;
/** The namespace of each kind of resource the console charts. */
export const NAMESPACE_OF = { topic: "AWS/SNS", queue: "AWS/SQS", function: "AWS/Lambda" } as const satisfies Record<
  string,
  ResourceNamespace
>;

/** GetMetricData limits (CloudWatch API Reference, GetMetricData: MetricDataQueries, MaxDatapoints). */
export const MAX_QUERIES_PER_CALL = 500;
export const MAX_DATAPOINTS_PER_CALL = 100_800;

/**
 * The smallest period CloudWatch still has data for at a given age: 60 s data is kept for 15 days,
 * 5 min data for 63 days, 1 h data for 455 days (CloudWatch User Guide "Metrics retention").
 * GetMetricData returns nothing for a finer period (CloudWatch API Reference, MetricStat "Period").
 */
function retentionMinimum(ageSeconds: number): number {
  if (ageSeconds > 63 * DAY) return HOUR;
  if (ageSeconds > 15 * DAY) return 300;
  return MINUTE;
}

/**
 * Period for GetMetricData given the range start, end and now (epoch ms): the smallest multiple of
 * 60 that is ≥ both the retention minimum for the start's age and ceil(range / maxPointsPerQuery),
 * rounded up to a nice value when above 60. Every nice value above the retention minimum is a
 * multiple of it (300 | 900, 3600 | 21600, 86400), as CloudWatch requires. Beyond a day the period
 * is a whole number of days.
 */
export function periodFor(
  startMs: number,
  endMs: number,
  nowMs: number,
  maxPointsPerQuery: number = DEFAULT_MAX_POINTS_PER_QUERY,
): number {
  if (!(maxPointsPerQuery >= 1)) throw new RangeError(`maxPointsPerQuery must be ≥ 1, got ${maxPointsPerQuery}`);
  const ageSeconds = (nowMs - startMs) / 1000;
  const rangeSeconds = Math.max(0, (endMs - startMs) / 1000);
  const needed = Math.max(retentionMinimum(ageSeconds), Math.ceil(rangeSeconds / maxPointsPerQuery));
  const period = Math.max(MINUTE, Math.ceil(needed / MINUTE) * MINUTE);
  if (period <= MINUTE) return MINUTE;
  const nice = NICE_PERIODS.find((p) => p >= period);
  return nice ?? Math.ceil(period / DAY) * DAY;
}

/**
 * How many GetMetricData calls a set of queries needs: max(ceil(queries / 500),
 * ceil(datapoints / 100,800)) with datapoints = queries × ceil(range / period). A lower bound:
 * a call past 100,800 datapoints continues with NextToken. 0 queries → 0.
 */
export function getMetricDataCallsNeeded(queries: number, rangeSeconds: number, periodSeconds: number): number {
  if (queries <= 0) return 0;
  if (!(periodSeconds > 0)) throw new RangeError(`periodSeconds must be > 0, got ${periodSeconds}`);
  const datapoints = queries * Math.ceil(Math.max(0, rangeSeconds) / periodSeconds);
  return Math.max(Math.ceil(queries / MAX_QUERIES_PER_CALL), Math.ceil(datapoints / MAX_DATAPOINTS_PER_CALL));
}
