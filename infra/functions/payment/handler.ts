import { logBatch, logRecordFailure } from "../shared/log";
import { processBatch, type SQSBatchResponse, type SQSEvent } from "../shared/sqs-batch";
import { processPaymentRecord } from "./process";

/** Lambda entry point (`handler.handler`) for the payment queue; the work is in ./process. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const response = await processBatch(event, (record) => processPaymentRecord(record), logRecordFailure("payment"));
  logBatch("payment", event, response);
  return response;
};
