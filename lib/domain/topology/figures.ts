import { plural } from "../format";
import type { TopologyNode } from "./model";

/** What each kind's 5-minute throughput counts (NodeMetrics.throughput5m). */
const THROUGHPUT_OF: Partial<Record<TopologyNode["kind"], (n: number) => string>> = {
  topic: (n) => `${n} published`,
  queue: (n) => `${n} sent`,
  function: (n) => plural(n, "invocation"),
};

/**
 * The numbers that matter for a node, each with its unit and window, most telling first (a card
 * shows one line and cuts the rest). A dead-letter queue leads with what entered it in 5 minutes,
 * derived as the SLA derives it: its NumberOfMessagesSent leaves out what a redrive policy moved
 * there. Its in-flight messages are leased (by a console view or a redrive job), still in it.
 */
export function nodeFigures(node: TopologyNode): string[] {
  const figures: string[] = [];
  const metrics = node.metrics;
  if (node.kind === "dlq") {
    if (metrics?.dlqInflow5m !== undefined) figures.push(`+${Math.round(metrics.dlqInflow5m)} in 5 min`);
    if (node.queue) {
      const held = node.queue.visible + node.queue.inFlight;
      figures.push(`holds ${plural(held, "message")} (${node.queue.inFlight} leased)`);
    }
  } else if (node.queue) {
    figures.push(`${plural(node.queue.visible, "message")} visible`, `${node.queue.inFlight} in flight`);
    if (node.queue.dlqDepth !== undefined) figures.push(`DLQ holds ${node.queue.dlqDepth}`);
  }
  if (node.alarm) figures.push(node.alarm.state);
  const throughput = THROUGHPUT_OF[node.kind];
  if (throughput && metrics?.throughput5m !== undefined)
    figures.push(`${throughput(Math.round(metrics.throughput5m))} in 5 min`);
  const records = metrics?.records5m;
  if (records) {
    const total = records.processed + records.deadLettered;
    figures.push(`${records.deadLettered} of ${plural(total, "record")} dead-lettered in 5 min`);
  }
  return figures;
}
