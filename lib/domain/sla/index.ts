/**
 * Service level objectives for SNS → SQS → Lambda pipelines: objectives and their configuration,
 * good/bad counts and SLIs, error budgets and multiwindow burn-rate alerts, latency percentiles,
 * and sizing of the CloudWatch GetMetricData requests that feed them. Pure: no AWS, no environment.
 */
export {
  SLO_WINDOW_DAYS,
  defaultObjectives,
  objectiveVariables,
  parseObjectives,
  type ObjectiveIssue,
  type ObjectiveKey,
  type Objectives,
  type ObjectivesInput,
  type ParseObjectivesResult,
} from "./objectives";
export {
  dlqInflow,
  lambdaInvocationCounts,
  pathCounts,
  sli,
  snsDeliveryCounts,
  snsPendingDeliveries,
  subscriptionDlqInflow,
  sumCounts,
  type Counts,
  type SubscriptionDlqSource,
  type DepthSample,
  type Removal,
} from "./counts";
export {
  BURN_ALERT_TIERS,
  BURN_WINDOWS,
  FAST_BURN_THRESHOLD,
  SLOW_BURN_THRESHOLD,
  TICKET_BURN_THRESHOLD,
  burnAlerts,
  burnLevel,
  burnRate,
  burnWindowSeconds,
  burnWindowThreshold,
  errorBudgetRemaining,
  firingAlerts,
  type BurnAlertTier,
  type BurnLevel,
  type BurnWindow,
  type FiringAlert,
} from "./budget";
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
export { SLO_STATUS_LABELS, chartsTarget, sloStatus, type ChartsTarget, type SloStatus } from "./status";
export { DEFAULT_SLA_WINDOW, parseWindow, SLA_WINDOW_PRESETS, windowSecondsOf, type SlaWindow } from "./window";
export { slaFigures, type SlaFigures } from "./figures";
export { mergeReads, sloReads } from "./history";
