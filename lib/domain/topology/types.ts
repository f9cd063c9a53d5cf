import type { QueueDescription } from "../dead-letters";
import type { Subscription } from "../subscription";

/**
 * What the collectors (lib/aws) read from the account, as plain data. The topology is built from
 * this alone, so it can be unit-tested and rebuilt from a saved snapshot.
 */

export interface TopicDescription {
  arn: string;
  name: string;
  fifo: boolean;
  tags?: Record<string, string>;
}

/** A queue as `describeQueues` reads it, with its tags. */
export type QueueDescriptionT = QueueDescription & { tags?: Record<string, string> };

export interface FunctionDescription {
  name: string;
  arn: string;
  runtime?: string;
  /** The function's configured timeout (`Timeout`), seconds. */
  timeoutSeconds?: number;
  tags?: Record<string, string>;
}

export interface MappingDescription {
  uuid: string;
  functionArn: string;
  eventSourceArn: string;
  /** Enabled | Disabled | Enabling | Disabling | Creating | Updating | Deleting */
  state: string;
  batchSize?: number;
  maximumConcurrency?: number;
  reportBatchItemFailures: boolean;
  /** When the mapping was last updated or changed state (`LastModified`, ISO). */
  lastModified?: string;
}

export interface AlarmDescription {
  name: string;
  arn: string;
  state: "OK" | "ALARM" | "INSUFFICIENT_DATA";
  namespace?: string;
  metricName?: string;
  dimensions: { name: string; value: string }[];
  reason?: string;
  /** When the alarm last changed state (ISO). */
  updatedAt?: string;
}

export interface NodeMetrics {
  /** last-5-minute totals or latest values; absent = no data */
  throughput5m?: number;
  oldestAgeSeconds?: number;
  /**
   * A dead-letter queue: messages that entered it in the last 5 minutes, derived as the SLA derives
   * it (lib/domain/sla dlqInflow: the rises of visible + in flight, plus what the console removed).
   * Its NumberOfMessagesSent (throughput5m) leaves out what a redrive policy moved there.
   */
  dlqInflow5m?: number;
  /** A queue: messages deleted (processed) in the last 5 minutes. */
  deleted5m?: number;
  /**
   * A function: over the last 5 minutes, the records of the queues it consumes that it processed
   * (deleted) and that it failed for good (dead-lettered); set by buildTopology from its queues'.
   */
  records5m?: { processed: number; deadLettered: number };
}

export type CollectedPart = "sns" | "sqs" | "lambda" | "cloudwatch";

export interface AccountDescription {
  topics: TopicDescription[];
  subscriptions: Subscription[];
  queues: QueueDescriptionT[];
  functions: FunctionDescription[];
  mappings: MappingDescription[];
  alarms: AlarmDescription[];
  /** metrics keyed by node id */
  metrics?: Record<string, NodeMetrics>;
  /** parts that could not be collected, e.g. { part: "lambda", message: "AccessDenied..." } — the graph still renders */
  failures?: { part: CollectedPart; message: string }[];
  /** Queues something other than Lambda reads (the console's own tap queue): no "nothing consumes it" finding. */
  consumedElsewhere?: string[];
}
