import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSRecord, SQSRecordAttributes } from "../../functions/shared/sqs-batch";
import type { EventSourceMapping, InvocationRecord, LocalLambda } from "./lambda-service";

/**
 * The event source mapping poller, as Lambda runs it for SQS (Lambda developer guide, "Using
 * Lambda with Amazon SQS"): receive up to the mapping's batch size, invoke the function with the
 * batch, delete what succeeded, and leave the rest to become visible again after the queue's
 * visibility timeout, so that SQS's own `maxReceiveCount` moves repeat failures to the DLQ.
 *
 * With `ReportBatchItemFailures` only the reported items are kept; a malformed response or a
 * thrown error keeps the whole batch ("Implementing partial batch responses"). One poller per
 * enabled mapping; a batch holds at most 10 messages (one ReceiveMessage call).
 */

export interface BatchOutcome {
  mapping: EventSourceMapping;
  invocation: InvocationRecord;
  received: number;
  deleted: number;
  /** AWSTraceHeader of each message in the batch (undefined where the message carried none). */
  traceHeaders: Array<string | undefined>;
}

/** An SQS message as Lambda hands it to a function in an SQS event. */
export function toEventRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(message.Attributes ?? {})) if (value !== undefined) attributes[key] = value;
  const messageAttributes: SQSRecord["messageAttributes"] = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString("base64") } : {}),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString("base64")),
      dataType: value.DataType ?? "String",
    };
  }
  return {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body: message.Body ?? "",
    attributes: attributes as unknown as SQSRecordAttributes,
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? "",
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/** Which records to delete after an invocation: every record but the reported failures, or none. */
export function recordsToDelete(
  records: SQSRecord[],
  invocation: InvocationRecord,
  reportsBatchItemFailures: boolean,
): SQSRecord[] {
  if (invocation.error) return [];
  if (!reportsBatchItemFailures) return records;
  const result = invocation.result as { batchItemFailures?: unknown } | null | undefined;
  if (result === null || result === undefined) return records;
  const failures = result.batchItemFailures;
  if (failures === undefined || (Array.isArray(failures) && failures.length === 0)) return records;
  if (!Array.isArray(failures)) return [];
  const failed = new Set<string>();
  for (const f of failures as Array<{ itemIdentifier?: unknown }>) {
    // An empty or unknown identifier makes Lambda treat the whole batch as failed.
    if (typeof f?.itemIdentifier !== "string" || !records.some((r) => r.messageId === f.itemIdentifier)) return [];
    failed.add(f.itemIdentifier);
  }
  return records.filter((r) => !failed.has(r.messageId));
}

export interface Poller {
  stop(): Promise<void>;
}

export function startPoller(options: {
  lambda: LocalLambda;
  sqs: SQSClient;
  region: string;
  onBatch?: (outcome: BatchOutcome) => void;
  onError?: (mapping: EventSourceMapping, error: unknown) => void;
  /** Pause between empty receives. */
  idleMs?: number;
}): Poller {
  const { lambda, sqs, region } = options;
  const loops = new Map<string, Promise<void>>();
  const queueUrls = new Map<string, string>();
  let stopped = false;

  async function queueUrlOf(arn: string): Promise<string> {
    let url = queueUrls.get(arn);
    if (!url) {
      const [, , , , account, name] = arn.split(":");
      url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }))).QueueUrl!;
      queueUrls.set(arn, url);
    }
    return url;
  }

  const isEnabled = (uuid: string) => {
    try {
      return !stopped && lambda.getEventSourceMapping(uuid).State === "Enabled";
    } catch {
      return false;
    }
  };

  async function pollOnce(uuid: string): Promise<boolean> {
    const mapping = lambda.getEventSourceMapping(uuid);
    const queueUrl = await queueUrlOf(mapping.EventSourceArn);
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(mapping.BatchSize, 10),
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
        WaitTimeSeconds: 1,
      }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0 || !isEnabled(uuid)) return false;
    const records = messages.map((m) => toEventRecord(m, mapping.EventSourceArn, region));
    const invocation = await lambda.invoke(mapping.FunctionArn, { Records: records });
    const toDelete = recordsToDelete(
      records,
      invocation,
      mapping.FunctionResponseTypes.includes("ReportBatchItemFailures"),
    );
    let deleted = 0;
    if (toDelete.length > 0) {
      const result = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: toDelete.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
        }),
      );
      deleted = result.Successful?.length ?? 0;
    }
    lambda.recordProcessingResult(uuid, invocation.error ? "PROBLEM: Function call failed" : "OK");
    options.onBatch?.({
      mapping,
      invocation,
      received: messages.length,
      deleted,
      traceHeaders: records.map((r) => r.attributes.AWSTraceHeader),
    });
    return true;
  }

  function ensureLoop(uuid: string) {
    if (loops.has(uuid)) return;
    const loop = (async () => {
      while (isEnabled(uuid)) {
        let busy = false;
        try {
          busy = await pollOnce(uuid);
        } catch (err) {
          options.onError?.(lambda.getEventSourceMapping(uuid), err);
        }
        if (!busy && isEnabled(uuid)) await new Promise((r) => setTimeout(r, options.idleMs ?? 500));
      }
    })().finally(() => loops.delete(uuid));
    loops.set(uuid, loop);
  }

  const sync = () => {
    for (const mapping of lambda.listEventSourceMappings()) if (mapping.State === "Enabled") ensureLoop(mapping.UUID);
  };
  lambda.on("mappings", sync);
  sync();

  return {
    async stop() {
      stopped = true;
      lambda.off("mappings", sync);
      await Promise.all(loops.values());
    },
  };
}
