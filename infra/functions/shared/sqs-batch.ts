/**
 * The SQS event a Lambda event source mapping delivers, and the partial batch response it reads
 * back (Lambda Developer Guide, "Using Lambda with Amazon SQS"). Written here rather than taken
 * from a types package: the handlers need only these few fields.
 */

export interface SQSMessageAttribute {
  stringValue?: string;
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
  dataType: string;
}

export interface SQSRecordAttributes {
  ApproximateReceiveCount: string;
  SentTimestamp: string;
  SenderId: string;
  ApproximateFirstReceiveTimestamp: string;
  /** FIFO queues only. */
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
  SequenceNumber?: string;
  /** The X-Ray header of the trace that sent the message, when tracing is active. */
  AWSTraceHeader?: string;
}

export interface SQSRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: SQSRecordAttributes;
  messageAttributes: Record<string, SQSMessageAttribute>;
  md5OfBody: string;
  /** Present when the message has message attributes. */
  md5OfMessageAttributes?: string;
  eventSource: "aws:sqs";
  eventSourceARN: string;
  awsRegion: string;
}

export interface SQSEvent {
  Records: SQSRecord[];
}

export interface SQSBatchItemFailure {
  itemIdentifier: string;
}

/** Returned with `FunctionResponseTypes: [ReportBatchItemFailures]`: the records to retry. */
export interface SQSBatchResponse {
  batchItemFailures: SQSBatchItemFailure[];
}

export function isFifoQueueArn(arn: string): boolean {
  return arn.endsWith(".fifo");
}

/**
 * Runs `processRecord` on each record in order and reports the ones that threw, so that Lambda
 * deletes the rest and only the failures come back (and, after the queue's maxReceiveCount, go
 * to its dead-letter queue). `onFailure` hears each record that threw, for logging.
 *
 * On a FIFO queue, processing stops at the first failure, which is reported with every later
 * record of the batch, unprocessed: Lambda Developer Guide, "Handling errors for an SQS event
 * source in Lambda" → "Implementing partial batch responses": with a FIFO queue the function
 * "should stop processing messages after the first failure and return all failed and unprocessed
 * messages in batchItemFailures", which keeps the messages of a group in order.
 */
export async function processBatch(
  event: SQSEvent,
  processRecord: (record: SQSRecord) => unknown,
  onFailure?: (record: SQSRecord, error: unknown) => void,
): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchItemFailure[] = [];
  const records = event.Records;
  for (const [index, record] of records.entries()) {
    try {
      await processRecord(record);
    } catch (error) {
      onFailure?.(record, error);
      if (isFifoQueueArn(record.eventSourceARN)) {
        return { batchItemFailures: records.slice(index).map((r) => ({ itemIdentifier: r.messageId })) };
      }
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
