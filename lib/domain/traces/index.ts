export type * from "./model";
export { allSpans, MAX_DEPTH, parseTrace } from "./parse";
export { isSegmentId, isTraceId, parseTraceHeader, traceHeader, traceIdTime, type ParsedTraceHeader } from "./header";
export { durationMs, exceptionsById, exceptionsOf, resourceOf, statusOf, worstStatus, type ResourceRef } from "./spans";
export * from "./service-map";
export * from "./story";
export { buildWaterfall, spanTimeline, traceBounds, type Waterfall, type WaterfallRow } from "./waterfall";
export {
  filterExpression,
  fromAwsSummary,
  matchesCriteria,
  summarizeTrace,
  type AwsTraceSummary,
  type StatusFilter,
  type TraceCriteria,
  type TraceListItem,
} from "./summary";
export * from "./query-limits";
export * from "./windows";
export { maskAnnotations, maskText, maskTrace, maskTree } from "./mask";
