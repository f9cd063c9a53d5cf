/** A Lambda event source mapping: the consumer of a queue. */
export interface QueueConsumer {
  uuid: string;
  functionName: string;
  state: string;
  enabled: boolean;
}
