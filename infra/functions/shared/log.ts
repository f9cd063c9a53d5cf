import type { SQSBatchResponse, SQSEvent, SQSRecord } from "./sqs-batch";

/** One JSON line per failed record, with the trace header that links it to its producer's trace. */
export function logRecordFailure(service: string) {
  return (record: SQSRecord, error: unknown) =>
    console.error(JSON.stringify({
      service,
      messageId: record.messageId,
      receiveCount: Number(record.attributes.ApproximateReceiveCount),
      trace: record.attributes.AWSTraceHeader,
      error: error instanceof Error ? error.message : String(error),
    }));
}

/** One JSON line per batch: how many records came and how many go back for retry. */
export function logBatch(service: string, event: SQSEvent, response: SQSBatchResponse): void {
  console.log(JSON.stringify({ service, records: event.Records.length, failed: response.batchItemFailures.length }));
}
