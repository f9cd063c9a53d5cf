import "server-only";
import {
  CancelMessageMoveTaskCommand,
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ListQueueTagsCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type Message,
  type MessageAttributeValue,
} from "@aws-sdk/client-sqs";
import { AppError } from "../domain/app-error";
import type { QueueDescription } from "../domain/dead-letters";
import type { ReceivedMessage, SqsAttributeValue } from "../domain/dead-letter-message";
import { SQS_MAX_BATCH_ENTRIES, type ReplayEntry } from "../domain/replay";
import type { AwsClients } from "./clients";
import { callAws, callAwsPages, type Probe } from "./call";
import { mapWithConcurrency } from "./concurrency";

// Batches: the functions that delete or change visibility take any number of messages and split
// them into requests of SQS's limit themselves (`batchesOf`); sends are the one exception, grouped
// by chunkEntries because a request is also bounded by its bytes.

export interface QueueSummary {
  name: string;
  url: string;
  fifo: boolean;
}

function queueNameFromUrl(url: string): string {
  return url.slice(url.lastIndexOf("/") + 1);
}

/** Every queue in the account and region, following NextToken to the end. */
export async function listQueues(clients: AwsClients): Promise<QueueSummary[]> {
  const urls = await callAwsPages(clients, "sqs", "ListQueues", {
    request: (nextToken) => clients.sqs.send(new ListQueuesCommand({ MaxResults: 1000, NextToken: nextToken })),
    read: (page) => ({ items: page.QueueUrls, next: page.NextToken }),
  });
  return urls
    .map((url) => {
      const name = queueNameFromUrl(url);
      return { name, url, fifo: name.endsWith(".fifo") };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Every queue with its depth, retention and redrive policy (GetQueueAttributes All, five at a time). */
export async function describeQueues(clients: AwsClients, concurrency = 5): Promise<QueueDescription[]> {
  const queues = await listQueues(clients);
  return mapWithConcurrency(queues, concurrency, (q) => describeQueueAt(q, clients));
}

/** A queue's tags (ListQueueTags). */
export async function listQueueTags(queueUrl: string, clients: AwsClients): Promise<Record<string, string>> {
  const out = await callAws(clients, "sqs", "ListQueueTags", () =>
    clients.sqs.send(new ListQueueTagsCommand({ QueueUrl: queueUrl })),
  );
  return out.Tags ?? {};
}

/** One queue by name, described as in describeQueues; 404 when there is no such queue. */
export async function describeQueue(name: string, clients: AwsClients): Promise<QueueDescription> {
  return describeQueueAt({ name, url: await getQueueUrl(name, clients), fifo: name.endsWith(".fifo") }, clients);
}

/**
 * Queues whose redrive policy names this one as their dead-letter queue, read now (SQS API Reference,
 * ListDeadLetterSourceQueues): the first page, up to 1,000, which is enough to know whether there are any.
 */
export async function listDeadLetterSourceQueues(queueUrl: string, clients: AwsClients): Promise<string[]> {
  return callAwsPages(clients, "sqs", "ListDeadLetterSourceQueues", {
    maxPages: 1,
    request: (nextToken) =>
      clients.sqs.send(
        new ListDeadLetterSourceQueuesCommand({ QueueUrl: queueUrl, MaxResults: 1000, NextToken: nextToken }),
      ),
    read: (page) => ({ items: page.queueUrls, next: page.NextToken }),
  });
}

export async function getQueueUrl(name: string, clients: AwsClients): Promise<string> {
  const { QueueUrl } = await callAws(clients, "sqs", "GetQueueUrl", () =>
    clients.sqs.send(new GetQueueUrlCommand({ QueueName: name })),
  );
  if (!QueueUrl) throw new AppError("not_found", `No queue named ${name}.`);
  return QueueUrl;
}

async function describeQueueAt(q: QueueSummary, clients: AwsClients): Promise<QueueDescription> {
  const { Attributes: a = {} } = await callAws(clients, "sqs", "GetQueueAttributes", () =>
    clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ["All"] })),
  );
  let redrivePolicy: QueueDescription["redrivePolicy"];
  if (a.RedrivePolicy) {
    const parsed = JSON.parse(a.RedrivePolicy) as { deadLetterTargetArn?: string; maxReceiveCount?: number | string };
    if (parsed.deadLetterTargetArn)
      redrivePolicy = {
        deadLetterTargetArn: parsed.deadLetterTargetArn,
        maxReceiveCount: Number(parsed.maxReceiveCount),
      };
  }
  return {
    name: q.name,
    url: q.url,
    arn: a.QueueArn ?? "",
    fifo: q.fifo,
    visible: Number(a.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
    retentionSeconds: Number(a.MessageRetentionPeriod ?? 345_600),
    visibilityTimeoutSeconds: Number(a.VisibilityTimeout ?? 30),
    ...(redrivePolicy ? { redrivePolicy } : {}),
    ...(a.Policy ? { policy: a.Policy } : {}),
    ...(a.MaximumMessageSize ? { maximumMessageSize: Number(a.MaximumMessageSize) } : {}),
    ...(a.KmsMasterKeyId ? { kmsMasterKeyId: a.KmsMasterKeyId } : {}),
  };
}

/** A queue's counters: visible, in flight (received, not deleted) and delayed. */
export async function queueDepth(
  queueUrl: string,
  clients: AwsClients,
): Promise<{ visible: number; inFlight: number; delayed: number }> {
  const { Attributes: a = {} } = await callAws(clients, "sqs", "GetQueueAttributes", () =>
    clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: [
          "ApproximateNumberOfMessages",
          "ApproximateNumberOfMessagesNotVisible",
          "ApproximateNumberOfMessagesDelayed",
        ],
      }),
    ),
  );
  return {
    visible: Number(a.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

/** The cheapest call that proves SQS answers with these credentials. */
export async function pingSqs(clients: AwsClients): Promise<void> {
  await callAws(clients, "sqs", "ListQueues", () => clients.sqs.send(new ListQueuesCommand({ MaxResults: 1 })));
}

export const sqsProbes: Record<string, Probe> = {
  // Redrive with StartMessageMoveTask and its siblings share one implementation on every endpoint seen.
  StartMessageMoveTask: (clients) =>
    clients.sqs.send(
      new ListMessageMoveTasksCommand({
        SourceArn: `arn:aws:sqs:${clients.region}:000000000000:fanout-capability-probe`,
        MaxResults: 1,
      }),
    ),
};

const fromSdkAttribute = (v: MessageAttributeValue): SqsAttributeValue => ({
  dataType: v.DataType ?? "String",
  ...(v.StringValue !== undefined ? { stringValue: v.StringValue } : {}),
  ...(v.BinaryValue !== undefined ? { binaryValue: Buffer.from(v.BinaryValue).toString("base64") } : {}),
});

const toSdkAttribute = (v: SqsAttributeValue): MessageAttributeValue => ({
  DataType: v.dataType,
  ...(v.stringValue !== undefined ? { StringValue: v.stringValue } : {}),
  ...(v.binaryValue !== undefined ? { BinaryValue: Buffer.from(v.binaryValue, "base64") } : {}),
});

function fromSdkMessage(m: Message): ReceivedMessage {
  return {
    messageId: m.MessageId ?? "",
    receiptHandle: m.ReceiptHandle ?? "",
    body: m.Body ?? "",
    attributes: { ...(m.Attributes ?? {}) } as Record<string, string>,
    messageAttributes: Object.fromEntries(
      Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, fromSdkAttribute(v)]),
    ),
  };
}

/**
 * Receives up to `max` (≤ 10) messages with every system and message attribute, hiding them for
 * `visibilitySeconds`. Each receive counts toward a source queue's maxReceiveCount.
 */
export async function receiveMessages(
  queueUrl: string,
  options: { max: number; visibilitySeconds: number; waitSeconds?: number },
  clients: AwsClients,
): Promise<ReceivedMessage[]> {
  const out = await callAws(clients, "sqs", "ReceiveMessage", () =>
    clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.max(1, Math.min(SQS_MAX_BATCH_ENTRIES, options.max)),
        VisibilityTimeout: options.visibilitySeconds,
        WaitTimeSeconds: options.waitSeconds ?? 0,
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
    ),
  );
  return (out.Messages ?? []).map(fromSdkMessage);
}

export interface BatchResult {
  /** Entry id → new message id (sends) or "" (deletes, visibility changes). */
  succeeded: Map<string, string>;
  /** Entry id → why; `senderFault` false means retrying may help. */
  failed: Map<string, { code: string; message: string; senderFault: boolean }>;
  /**
   * Requests the SDK made for this call (its own retries included). Above 1, an earlier attempt
   * may have been carried out with its answer lost: on a standard queue its sends may be duplicated.
   */
  attempts: number;
}

function batchResult(
  successful: { Id?: string; MessageId?: string }[] | undefined,
  failed: { Id?: string; Code?: string; Message?: string; SenderFault?: boolean }[] | undefined,
  metadata: { attempts?: number } | undefined,
): BatchResult {
  return {
    attempts: metadata?.attempts ?? 1,
    succeeded: new Map((successful ?? []).map((e) => [e.Id ?? "", e.MessageId ?? ""])),
    failed: new Map(
      (failed ?? []).map((e) => [
        e.Id ?? "",
        { code: e.Code ?? "Unknown", message: e.Message ?? "", senderFault: e.SenderFault ?? false },
      ]),
    ),
  };
}

/**
 * One SendMessageBatch, of entries as `chunkEntries` (lib/domain/replay) groups them: sends are
 * bounded by bytes as well as by count, and the redrive engine retries and records each request.
 * Each entry succeeds or fails on its own (SQS API Reference, SendMessageBatch).
 */
export async function sendMessageBatch(
  queueUrl: string,
  entries: ReplayEntry[],
  clients: AwsClients,
): Promise<BatchResult> {
  const out = await callAws(clients, "sqs", "SendMessageBatch", () =>
    clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: entries.map((e) => ({
          Id: e.id,
          MessageBody: e.body,
          ...(Object.keys(e.messageAttributes).length
            ? {
                MessageAttributes: Object.fromEntries(
                  Object.entries(e.messageAttributes).map(([k, v]) => [k, toSdkAttribute(v)]),
                ),
              }
            : {}),
          // AWSTraceHeader is the one system attribute a sender may set; it keeps the replay on the original trace.
          ...(e.traceHeader
            ? { MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: e.traceHeader } } }
            : {}),
          ...(e.groupId ? { MessageGroupId: e.groupId } : {}),
          ...(e.deduplicationId ? { MessageDeduplicationId: e.deduplicationId } : {}),
        })),
      }),
    ),
  );
  return batchResult(out.Successful, out.Failed, out.$metadata);
}

/** Splits entries into the consecutive requests SQS accepts (`SQS_MAX_BATCH_ENTRIES` each). */
function batchesOf<T>(entries: T[]): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < entries.length; i += SQS_MAX_BATCH_ENTRIES)
    batches.push(entries.slice(i, i + SQS_MAX_BATCH_ENTRIES));
  return batches;
}

/** What a caller does around each DeleteMessageBatch request of `deleteMessages`. */
export interface EachDeleteBatch<M> {
  /** Right before the request; throwing stops the deletion there. */
  before?: () => void | Promise<void>;
  /** After the request: the batch asked for and those of it SQS deleted (an expired receipt handle fails alone). */
  after?: (batch: M[], deleted: M[]) => void | Promise<void>;
}

/**
 * Deletes messages by receipt handle, any number, one DeleteMessageBatch per ten in order. A
 * request that fails stops the deletion there (the error is thrown; earlier batches stay deleted
 * and were reported to `eachBatch.after`). Returns the messages SQS deleted.
 */
export async function deleteMessages<M extends { receiptHandle: string }>(
  queueUrl: string,
  messages: M[],
  clients: AwsClients,
  eachBatch: EachDeleteBatch<M> = {},
): Promise<M[]> {
  const deleted: M[] = [];
  for (const batch of batchesOf(messages)) {
    await eachBatch.before?.();
    const out = await callAws(clients, "sqs", "DeleteMessageBatch", () =>
      clients.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((m, index) => ({ Id: `d${index}`, ReceiptHandle: m.receiptHandle })),
        }),
      ),
    );
    const succeeded = new Set((out.Successful ?? []).map((e) => e.Id));
    const deletedNow = batch.filter((_, index) => succeeded.has(`d${index}`));
    deleted.push(...deletedNow);
    await eachBatch.after?.(batch, deletedNow);
  }
  return deleted;
}

/**
 * Sets the visibility of leased messages, any number, one ChangeMessageVisibilityBatch per ten: 0
 * releases them, more extends the lease. Every batch is tried; the first failed call is thrown at the end.
 * Returns how many messages changed (an expired receipt handle fails on its own).
 */
export async function setVisibility(
  queueUrl: string,
  receiptHandles: string[],
  visibilitySeconds: number,
  clients: AwsClients,
): Promise<number> {
  let changed = 0;
  let failure: unknown;
  for (const batch of batchesOf(receiptHandles)) {
    const entries = batch.map((receiptHandle, index) => ({
      Id: `v${index}`,
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: visibilitySeconds,
    }));
    try {
      const out = await callAws(clients, "sqs", "ChangeMessageVisibilityBatch", () =>
        clients.sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries })),
      );
      changed += out.Successful?.length ?? 0;
    } catch (err) {
      failure ??= err;
    }
  }
  if (failure !== undefined) throw failure;
  return changed;
}

export async function purgeQueue(queueUrl: string, clients: AwsClients): Promise<void> {
  await callAws(clients, "sqs", "PurgeQueue", () => clients.sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl })));
}

/**
 * Starts SQS's own redrive of a DLQ (SQS API Reference, StartMessageMoveTask); returns the task
 * handle. `maxPerSecond` is sent as given: the caller checked it is a whole number from 1 to 500
 * (moveTaskRateProblem), so nothing is rounded to 0 or above the limit here.
 */
export async function startMessageMoveTask(
  sourceArn: string,
  destinationArn: string | undefined,
  maxPerSecond: number | undefined,
  clients: AwsClients,
): Promise<string> {
  const out = await callAws(clients, "sqs", "StartMessageMoveTask", () =>
    clients.sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: sourceArn,
        ...(destinationArn ? { DestinationArn: destinationArn } : {}),
        ...(maxPerSecond !== undefined ? { MaxNumberOfMessagesPerSecond: maxPerSecond } : {}),
      }),
    ),
  );
  return out.TaskHandle ?? "";
}

export interface MessageMoveTask {
  taskHandle?: string;
  status: string;
  moved: number;
  toMove?: number;
  failureReason?: string;
}

/** The newest message move task of a DLQ (ListMessageMoveTasks returns the most recent first). */
export async function latestMessageMoveTask(
  sourceArn: string,
  clients: AwsClients,
): Promise<MessageMoveTask | undefined> {
  const out = await callAws(clients, "sqs", "ListMessageMoveTasks", () =>
    clients.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 })),
  );
  const t = out.Results?.[0];
  if (!t) return undefined;
  return {
    ...(t.TaskHandle ? { taskHandle: t.TaskHandle } : {}),
    status: t.Status ?? "UNKNOWN",
    moved: t.ApproximateNumberOfMessagesMoved ?? 0,
    ...(t.ApproximateNumberOfMessagesToMove !== undefined ? { toMove: t.ApproximateNumberOfMessagesToMove } : {}),
    ...(t.FailureReason ? { failureReason: t.FailureReason } : {}),
  };
}

export async function cancelMessageMoveTask(taskHandle: string, clients: AwsClients): Promise<void> {
  await callAws(clients, "sqs", "CancelMessageMoveTask", () =>
    clients.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: taskHandle })),
  );
}

/** Creates a standard queue, tagged as the console's, and returns its URL (for the account check's scratch queue). */
export async function createTaggedQueue(
  name: string,
  tags: Record<string, string>,
  clients: AwsClients,
): Promise<string> {
  const out = await callAws(clients, "sqs", "CreateQueue", () =>
    clients.sqs.send(new CreateQueueCommand({ QueueName: name, tags })),
  );
  if (!out.QueueUrl) throw new AppError("upstream_unavailable", `SQS created ${name} without naming its URL.`);
  return out.QueueUrl;
}

export async function deleteQueue(queueUrl: string, clients: AwsClients): Promise<void> {
  await callAws(clients, "sqs", "DeleteQueue", () => clients.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })));
}

/** Sends one plain message and returns its id. */
export async function sendMessage(queueUrl: string, body: string, clients: AwsClients): Promise<string> {
  const out = await callAws(clients, "sqs", "SendMessage", () =>
    clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body })),
  );
  return out.MessageId ?? "";
}
