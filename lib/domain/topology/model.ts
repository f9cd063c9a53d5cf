import type { FilterPolicyScope } from "../filter-policy/types";
import type { NodeMetrics } from "./types";

/** The topology graph as the console draws it: nodes, edges, and what looks wrong. */

export type NodeKind = "topic" | "subscription-endpoint" | "queue" | "dlq" | "function" | "alarm";
export type Health = "ok" | "warning" | "critical" | "unknown";

export type FindingCode =
  | "subscription-pending"
  | "queue-unconsumed"
  | "subscription-missing-queue"
  | "queue-policy-denies-topic"
  | "fifo-queue-on-standard-topic"
  | "non-sqs-on-fifo-topic"
  | "fifo-queue-standard-dlq"
  | "standard-queue-fifo-dlq"
  | "redrive-missing-dlq"
  | "dlq-without-alarm"
  | "dlq-retention-shorter"
  | "visibility-timeout-below-function-timeout"
  | "visibility-timeout-below-advice"
  | "max-receive-count-low"
  | "queue-aws-managed-key"
  | "subscription-dlq-not-fifo"
  | "subscription-dlq-policy-denies-topic";

export interface Finding {
  code: FindingCode;
  severity: "warning" | "critical";
  message: string;
  nodeId?: string;
  edgeId?: string;
}

export interface TopologyNode {
  id: string;
  kind: NodeKind;
  name: string;
  arn: string;
  health: Health;
  /** why not ok, human sentences */
  reasons: string[];
  fifo?: boolean;
  /**
   * Set on a node the account description does not contain but an edge needs: a queue a
   * subscription names that does not exist, or a resource whose part failed to collect.
   */
  missing?: boolean;
  /** kind-specific facts for cards and the side panel */
  queue?: {
    visible: number;
    inFlight: number;
    delayed: number;
    retentionSeconds: number;
    visibilityTimeoutSeconds?: number;
    isDlq: boolean;
    isSource: boolean;
    dlqDepth?: number;
  };
  endpoint?: { protocol: string; endpoint: string };
  function?: { runtime?: string; timeoutSeconds?: number };
  /** `updatedAt`: when the alarm last changed state (ISO). */
  alarm?: { state: string; metricName?: string; reason?: string; updatedAt?: string };
  metrics?: NodeMetrics;
  tags?: Record<string, string>;
  /** the topic(s) whose subtree this node is in, for collapsing */
  topics: string[];
}

/** A subscription endpoint outside the environment's own account and region. */
export interface RemoteEndpoint {
  arn: string;
  account: string;
  region: string;
  /** The configured environment holding that account and region, if any. */
  env?: string;
}

export type EdgeKind = "subscription" | "redrive" | "event-source" | "alarm";

export interface TopologyEdge {
  id: string;
  from: string;
  to: string;
  kind: EdgeKind;
  subscription?: {
    arn: string;
    /** e.g. "eventType: order.placed, order.cancelled"; null when the subscription receives everything */
    filterPolicySummary: string | null;
    scope: FilterPolicyScope;
    rawMessageDelivery: boolean;
    pendingConfirmation: boolean;
    deadLetterTargetArn?: string;
    /**
     * The endpoint is in another account or region (a cross-account or cross-region subscription):
     * shown as an endpoint of this graph, never as a node of the other account, with where it is
     * and, when the console knows that account and region, the environment to open it in.
     */
    remote?: RemoteEndpoint;
  };
  /** maxReceiveCount is 0 for a subscription's DLQ: SNS has no receive count. */
  redrive?: { maxReceiveCount: number; via: "queue" | "subscription" };
  eventSource?: {
    uuid: string;
    batchSize?: number;
    enabled: boolean;
    state: string;
    reportBatchItemFailures: boolean;
    maximumConcurrency?: number;
    /** When the mapping was last updated or changed state (ISO): since when a paused consumer is paused. */
    lastModified?: string;
  };
}

export interface Topology {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
  warnings: Finding[];
  partial: { part: string; message: string }[];
}

/**
 * Stable node ids: "topic:<arn>", "queue:<arn>" (for both queue and dlq kinds, so a queue keeps its
 * id when it becomes a DLQ), "function:<arn>", "alarm:<arn>", "endpoint:<subscription key>".
 */
export function nodeId(kind: "topic" | "queue" | "function" | "alarm" | "endpoint", arnOrKey: string): string {
  return `${kind}:${arnOrKey}`;
}
