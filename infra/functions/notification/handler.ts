import { logBatch, logRecordFailure } from "../shared/log";
import { processBatch, type SQSBatchResponse, type SQSEvent } from "../shared/sqs-batch";
import { processNotificationRecord } from "./process";

/** Lambda entry point (`handler.handler`) for the notification queue; the work is in ./process. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const response = await processBatch(
    event,
    (record) => processNotificationRecord(record),
    logRecordFailure("notification"),
  );
  logBatch("notification", event, response);
  return response;
};
