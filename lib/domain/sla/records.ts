/**
 * What a Lambda consumer of SQS does with each record, apart from whether its invocations fail.
 *
 * With ReportBatchItemFailures a handler reports the records it failed and returns normally: the
 * invocation counts as a success, not in Lambda's Errors (Lambda Developer Guide "Implementing
 * partial batch responses"). SQS makes each failed record visible again, and after
 * maxReceiveCount receives moves it to the queue's dead-letter queue (SQS Developer Guide "Using
 * dead-letter queues"). So the records a consumer failed for good are the DLQ inflow of the queues
 * it consumes, and those it processed are the queues' NumberOfMessagesDeleted.
 */
import { burnRate, FAST_BURN_THRESHOLD } from "./budget";
import { sli, sumCounts, type Counts } from "./counts";

/** Records of the queues a function consumes: good = processed (deleted), bad = dead-lettered. */
export function consumerRecordCounts(queues: { processed: number; deadLettered: number }[]): Counts {
  return sumCounts(queues.map((q) => ({ good: q.processed, bad: q.deadLettered })));
}

export type RecordHealth = "ok" | "warning" | "critical";

/**
 * A consumer's health from the records it failed, judged against the objective's error budget
 * (1 − target): within it, ok; spending it faster than it lasts (burn rate above 1), a warning;
 * above 14.4×, the rate at which the SLA pages (SRE workbook "Alerting on SLOs"), critical. The
 * same thresholds as the dashboards', so a node turns red where the SLA would page. Without
 * records there is nothing to judge: ok.
 */
export function recordFailureHealth(counts: Counts, target: number): { health: RecordHealth; burnRate: number | null } {
  const rate = burnRate(sli(counts), target);
  if (rate === null || rate <= 1) return { health: "ok", burnRate: rate };
  return { health: rate > FAST_BURN_THRESHOLD ? "critical" : "warning", burnRate: rate };
}
