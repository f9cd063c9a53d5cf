/**
 * Service level objectives for SNS → SQS → Lambda pipelines: objectives and their configuration,
 * good/bad counts and SLIs, error budgets and multiwindow burn-rate alerts, latency percentiles,
 * and sizing of the CloudWatch GetMetricData requests that feed them. Pure: no AWS, no environment.
 */
export * from "./objectives";
export * from "./counts";
export * from "./budget";
export {
  DEFAULT_MAX_POINTS_PER_QUERY,
  NAMESPACE_OF,
  NICE_PERIODS,
  RESOURCE_DIMENSION,
  getMetricDataCallsNeeded,
  periodFor,
  type ResourceNamespace,
} from "./metric-queries";
export { fullBucketValue, latencyStatus, percentile, wholePeriodRange } from "./latency";
export {
  SLO_STATUS_LABELS,
  chartsTarget,
  resourceChartsHref,
  sloStatus,
  worseStatus,
  type ChartsTarget,
  type SloStatus,
} from "./status";
export { DEFAULT_SLA_WINDOW, parseWindow, SLA_WINDOW_PRESETS, windowSecondsOf, type SlaWindow } from "./window";
export { slaFigures, type SlaFigures } from "./figures";
export { mergeReads, sloReads } from "./history";
export { consumerRecordCounts, recordFailureHealth, type RecordHealth } from "./records";
