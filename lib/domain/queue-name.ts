/**
 * An SQS queue name (SQS Developer Guide, "Amazon SQS queue naming"): 1 to 80 letters, digits, -
 * and _, a FIFO queue's ending in .fifo within those 80.
 */
export const SQS_QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$|^[A-Za-z0-9_-]{1,75}\.fifo$/;

export const isQueueName = (name: string): boolean => SQS_QUEUE_NAME.test(name);
