import type { SQSBatchResponse, SQSEvent, SQSRecord } from "./sqs-batch";

/**
 * One JSON line per failed record, with the trace header that links it to its producer's trace,
 * and the error's type and stack, so the failure can be told apart from the batch it came in.
 */
export function logRecordFailure(service: string) {
  return (record: SQSRecord, error: unknown) =>
    console.error(
      JSON.stringify({
        service,
        messageId: record.messageId,
        receiveCount: Number(record.attributes.ApproximateReceiveCount),
        trace: record.attributes.AWSTraceHeader,
        error: error instanceof Error ? error.message : String(error),
        errorType: error instanceof Error ? error.name : typeof error,
        ...(error instanceof Error && error.stack
          ? {
              stack: error.stack
                .split("\n")
                .slice(1, 11)
                .map((l) => l.trim()),
            }
          : {}),
      }),
    );
}

/** One JSON line per batch: how many records came and how many go back for retry. */
export function logBatch(service: string, event: SQSEvent, response: SQSBatchResponse): void {
  console.log(JSON.stringify({ service, records: event.Records.length, failed: response.batchItemFailures.length }));
}
