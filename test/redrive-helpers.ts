import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { getJob, type RedriveJobView } from "../lib/operations/redrive";

/** Helpers shared by the integration tests of replays and redrive jobs against moto. */

export async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!
    .QueueArn!;
}

/** Receives and deletes everything in a queue, in the order SQS hands it out, with every attribute. */
export async function drain(sqs: SQSClient, url: string): Promise<Message[]> {
  const all: Message[] = [];
  for (let empty = 0; empty < 2;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 60,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["All"],
      }),
    );
    empty = Messages.length ? 0 : empty + 1;
    all.push(...Messages);
    if (Messages.length)
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
  }
  return all;
}

/** A job once it is no longer running (completed, incomplete, failed, paused or cancelled). */
export async function settled(jobId: string, timeoutMs = 150_000): Promise<RedriveJobView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = getJob(jobId);
    if (job.status !== "running") return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still running: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
