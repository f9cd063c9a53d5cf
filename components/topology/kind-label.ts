import type { TopologyNode } from "@/lib/domain/topology";

/** A node's kind in words, on its card, in its panel and in the list. */
export const kindLabel: Record<TopologyNode["kind"], string> = {
  topic: "SNS topic",
  "subscription-endpoint": "endpoint",
  queue: "SQS queue",
  dlq: "dead-letter queue",
  function: "Lambda function",
  alarm: "alarm",
};
