/**
 * The topology graph of an SNS → SQS → Lambda account: nodes, edges, health and findings built from
 * a plain account description, and a layered left-to-right layout for drawing it.
 */
export type {
  AccountDescription,
  AlarmDescription,
  CollectedPart,
  FunctionDescription,
  MappingDescription,
  NodeMetrics,
  QueueDescriptionT,
  TopicDescription,
} from "./types";
export type { EdgeKind, Finding, FindingCode, Health, NodeKind, Topology, TopologyEdge, TopologyNode } from "./model";
export { nodeId } from "./model";
export { buildTopology, deadLetterQueueArns, endpointLabel, subscriptionKey, unqualifiedFunctionArn } from "./build";
export { consumersOf, deadLetterQueueOf, queueRedrivesInto } from "./queries";
export { nodeFigures } from "./figures";
export { filterPolicyKeys, summarizeFilterPolicy } from "./filter-summary";
export { arnMatches, globMatch, queuePolicyAllowsTopic, type QueuePolicyVerdict } from "./queue-policy";
export { layoutTopology, type LayoutOptions, type TopologyLayout } from "./layout";
export { nodeLinks, type NodeLink } from "./links";
export { nodeResource, outsideBindings, visibleTopology, type MayView, type VisibleTopology } from "./visible";
