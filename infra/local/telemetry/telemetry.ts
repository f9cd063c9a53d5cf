import {
  PutMetricDataCommand,
  type CloudWatchClient,
  type MetricDatum,
  type StandardUnit,
} from "@aws-sdk/client-cloudwatch";
import type { InvocationRecord, LocalLambda } from "../lambda/lambda-service";

/**
 * The metrics AWS publishes by itself, published for the local run at 1-minute resolution with
 * AWS's namespaces, metric names and dimensions, each from a real source:
 *
 * - AWS/Lambda (FunctionName): Invocations, Errors, Throttles, Duration, ConcurrentExecutions —
 *   from each invocation the local Lambda service runs.
 * - AWS/SQS (QueueName): NumberOfMessagesSent / Received / Deleted, ApproximateNumberOfMessages-
 *   Visible / NotVisible, ApproximateAgeOfOldestMessage — from the emulator's own counters and
 *   queue state (`GET /_fanout/state`, see moto_server.py), never from receives of our own.
 * - AWS/SNS (TopicName): NumberOfMessagesPublished, NumberOfNotificationsDelivered / Failed /
 *   FilteredOut — from the emulator's counters where SNS delivers.
 *
 * Counts are published as deltas since the previous sample; several samples in one minute
 * aggregate into that minute's statistics as CloudWatch aggregates repeated puts.
 */

interface QueueState {
  sent: number;
  received: number;
  deleted: number;
  visible: number;
  notVisible: number;
  delayed: number;
  oldestSentTimestamp: number | null;
}

interface TopicState {
  published: number;
  delivered: number;
  filteredOut: number;
  failed: number;
}

export interface EmulatorState {
  sns: Record<string, TopicState>;
  sqs: Record<string, QueueState>;
}

const nameFromArn = (arn: string) => arn.slice(arn.lastIndexOf(":") + 1);

/** Accumulates datapoints as CloudWatch statistic sets, one per metric, dimension set and minute. */
export class MetricBuffer {
  private readonly sets = new Map<string, { namespace: string; datum: MetricDatum }>();

  add(
    namespace: string,
    metricName: string,
    dimensions: Record<string, string>,
    value: number,
    unit: StandardUnit,
    at: number,
  ) {
    const minute = Math.floor(at / 60_000) * 60_000;
    const key = JSON.stringify([namespace, metricName, dimensions, minute]);
    const existing = this.sets.get(key)?.datum.StatisticValues;
    if (existing) {
      const s = existing;
      s.SampleCount! += 1;
      s.Sum! += value;
      s.Minimum = Math.min(s.Minimum!, value);
      s.Maximum = Math.max(s.Maximum!, value);
      return;
    }
    this.sets.set(key, {
      namespace,
      datum: {
        MetricName: metricName,
        Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
        Timestamp: new Date(minute),
        Unit: unit,
        StorageResolution: 60,
        StatisticValues: { SampleCount: 1, Sum: value, Minimum: value, Maximum: value },
      },
    });
  }

  /** Removes and returns everything buffered, grouped by namespace. */
  drain(): Map<string, MetricDatum[]> {
    const byNamespace = new Map<string, MetricDatum[]>();
    for (const { namespace, datum } of this.sets.values()) {
      byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), datum]);
    }
    this.sets.clear();
    return byNamespace;
  }
}

/** Adds the AWS/Lambda datapoints of one invocation. */
export function recordInvocationMetrics(buffer: MetricBuffer, record: InvocationRecord) {
  const dims = { FunctionName: record.functionName };
  buffer.add("AWS/Lambda", "Invocations", dims, 1, "Count", record.start);
  buffer.add("AWS/Lambda", "Errors", dims, record.error ? 1 : 0, "Count", record.start);
  // Nothing limits concurrency locally, so no invocation is throttled; the count is real, and zero.
  buffer.add("AWS/Lambda", "Throttles", dims, 0, "Count", record.start);
  buffer.add("AWS/Lambda", "Duration", dims, record.end - record.start, "Milliseconds", record.start);
  buffer.add("AWS/Lambda", "ConcurrentExecutions", dims, record.concurrency, "Count", record.start);
}

/** Adds the AWS/SNS and AWS/SQS datapoints for what changed between two emulator states. */
export function recordEmulatorMetrics(
  buffer: MetricBuffer,
  previous: EmulatorState,
  current: EmulatorState,
  now: number,
) {
  for (const [arn, topic] of Object.entries(current.sns)) {
    const before = previous.sns[arn] ?? { published: 0, delivered: 0, filteredOut: 0, failed: 0 };
    const dims = { TopicName: nameFromArn(arn) };
    // SNS publishes these only for activity: no datapoint in a quiet minute.
    const counts: Array<[string, number]> = [
      ["NumberOfMessagesPublished", topic.published - before.published],
      ["NumberOfNotificationsDelivered", topic.delivered - before.delivered],
      ["NumberOfNotificationsFilteredOut", topic.filteredOut - before.filteredOut],
      ["NumberOfNotificationsFailed", topic.failed - before.failed],
    ];
    for (const [metric, delta] of counts) if (delta > 0) buffer.add("AWS/SNS", metric, dims, delta, "Count", now);
  }
  for (const [arn, queue] of Object.entries(current.sqs)) {
    const before = previous.sqs[arn] ?? { sent: 0, received: 0, deleted: 0 };
    const dims = { QueueName: nameFromArn(arn) };
    // SQS reports every active queue each minute, zeros included.
    buffer.add("AWS/SQS", "NumberOfMessagesSent", dims, queue.sent - before.sent, "Count", now);
    buffer.add("AWS/SQS", "NumberOfMessagesReceived", dims, queue.received - before.received, "Count", now);
    buffer.add("AWS/SQS", "NumberOfMessagesDeleted", dims, queue.deleted - before.deleted, "Count", now);
    buffer.add("AWS/SQS", "ApproximateNumberOfMessagesVisible", dims, queue.visible, "Count", now);
    buffer.add("AWS/SQS", "ApproximateNumberOfMessagesNotVisible", dims, queue.notVisible, "Count", now);
    buffer.add("AWS/SQS", "ApproximateNumberOfMessagesDelayed", dims, queue.delayed, "Count", now);
    const age =
      queue.oldestSentTimestamp === null ? 0 : Math.max(0, Math.round((now - queue.oldestSentTimestamp) / 1000));
    buffer.add("AWS/SQS", "ApproximateAgeOfOldestMessage", dims, age, "Seconds", now);
  }
}

/** Where a resource is: the region and account of its ARN (arn:partition:service:region:account:…). */
export interface ResourceOwner {
  accountId: string;
  region: string;
}

/**
 * The part of the emulator's state that one account's CloudWatch in one region reports: AWS publishes
 * a queue's or topic's metrics in the account and region it lives in (CloudWatch User Guide, "Metrics
 * concepts": metrics exist only in the Region in which they are created), and one emulator holds them all.
 */
export function stateOwnedBy(state: EmulatorState, owner: ResourceOwner): EmulatorState {
  const owned = <T>(byArn: Record<string, T>) =>
    Object.fromEntries(
      Object.entries(byArn).filter(([arn]) => {
        const [, , , region, accountId] = arn.split(":");
        return region === owner.region && accountId === owner.accountId;
      }),
    );
  return { sns: owned(state.sns), sqs: owned(state.sqs) };
}

export async function readEmulatorState(endpoint: string): Promise<EmulatorState> {
  const res = await fetch(`${endpoint}/_fanout/state`);
  if (!res.ok)
    throw new Error(
      `the local AWS endpoint has no /_fanout/state (HTTP ${res.status}); start it with infra/local/emulator/moto_server.py`,
    );
  return (await res.json()) as EmulatorState;
}

export interface Telemetry {
  /** Samples the emulator and publishes everything buffered now (also done every interval). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export function startTelemetry(options: {
  cloudwatch: CloudWatchClient;
  lambda: LocalLambda;
  awsEndpoint: string;
  /** The account and region the CloudWatch client publishes to: only their topics and queues are reported. */
  owner: ResourceOwner;
  intervalMs?: number;
  onError?: (error: unknown) => void;
}): Telemetry {
  const buffer = new MetricBuffer();
  let previous: EmulatorState = { sns: {}, sqs: {} };
  const onInvocation = (record: InvocationRecord) => recordInvocationMetrics(buffer, record);
  options.lambda.on("invocation", onInvocation);

  let running: Promise<void> = Promise.resolve();
  const flushNow = async () => {
    const current = stateOwnedBy(await readEmulatorState(options.awsEndpoint), options.owner);
    recordEmulatorMetrics(buffer, previous, current, Date.now());
    previous = current;
    for (const [namespace, data] of buffer.drain()) {
      for (let i = 0; i < data.length; i += 500) {
        await options.cloudwatch.send(
          new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(i, i + 500) }),
        );
      }
    }
  };
  // One flush at a time, so deltas never interleave.
  const flush = () => (running = running.then(flushNow, flushNow).catch((err: unknown) => options.onError?.(err)));
  const timer = setInterval(() => void flush(), options.intervalMs ?? 10_000);

  return {
    flush: async () => {
      await flush();
    },
    async stop() {
      clearInterval(timer);
      options.lambda.off("invocation", onInvocation);
      await running;
    },
  };
}
