/**
 * Rules AWS documents for an SNS → SQS → Lambda pipeline that no single AWS console view checks.
 * Pure: build.ts applies them to the collected account and turns the verdicts into findings.
 */

/**
 * Lambda Developer Guide, "Configuring an Amazon SQS queue to use with Lambda" (services-sqs-configure):
 * "set the source queue's visibility timeout to at least six times the configuration timeout on your
 * function", and "your function's timeout must be less than or equal to the queue's visibility timeout"
 * (Lambda refuses to create the event source mapping otherwise, and a batch still running when the
 * timeout ends becomes visible again and is processed twice).
 */
export const visibilityTimeoutFactor = 6;

export type VisibilityVerdict = "ok" | "below-advice" | "below-function-timeout";

export function visibilityTimeoutVerdict(
  visibilityTimeoutSeconds: number,
  functionTimeoutSeconds: number,
): VisibilityVerdict {
  if (visibilityTimeoutSeconds < functionTimeoutSeconds) return "below-function-timeout";
  if (visibilityTimeoutSeconds < visibilityTimeoutFactor * functionTimeoutSeconds) return "below-advice";
  return "ok";
}

/**
 * Lambda Developer Guide, "Configuring an Amazon SQS queue to use with Lambda" → dead-letter queue, and
 * "Handling errors for an SQS event source in Lambda": set the source queue's `maxReceiveCount` to at
 * least 5, so that a message is retried before it is dead-lettered; with less, a batch that failed
 * only because the function was throttled can land in the DLQ.
 */
export const minimumMaxReceiveCount = 5;

export function maxReceiveCountTooLow(maxReceiveCount: number): boolean {
  return maxReceiveCount < minimumMaxReceiveCount;
}

/**
 * SQS Developer Guide, "Key management" (sqs-key-management): the key policy of the AWS managed key
 * for SQS (`alias/aws/sqs`) cannot be changed, so it cannot grant the SNS service principal the
 * `kms:GenerateDataKey` and `kms:Decrypt` it needs; SNS Developer Guide, "Configure encryption for
 * SNS → SQS" (sns-enable-encryption-for-topic-sqs-queue-subscriptions): a queue subscribed to a topic
 * must use a customer managed key whose policy lets SNS use it. Deliveries to such a queue fail.
 * SSE-SQS (`SqsManagedSseEnabled`) has no KMS key and is fine. The key may be given as the alias, or
 * as an alias ARN (`arn:aws:kms:<region>:<account>:alias/aws/sqs`).
 */
export function usesAwsManagedSqsKey(kmsMasterKeyId: string | undefined): boolean {
  if (!kmsMasterKeyId) return false;
  const id = kmsMasterKeyId.trim();
  return id === "alias/aws/sqs" || /^arn:aws[a-z-]*:kms:[^:]*:[^:]*:alias\/aws\/sqs$/.test(id);
}
