import { logBatch, logRecordFailure } from "../shared/log";
import { processBatch, type SQSBatchResponse, type SQSEvent } from "../shared/sqs-batch";
import { processInventoryRecord } from "./process";

/** Lambda entry point (`handler.handler`) for the inventory queue; the work is in ./process. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const response = await processBatch(event, (record) => processInventoryRecord(record), logRecordFailure("inventory"));
  logBatch("inventory", event, response);
  return response;
};
