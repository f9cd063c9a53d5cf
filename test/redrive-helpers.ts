import { randomUUID } from "node:crypto";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { getJob, type RedriveJobView } from "../lib/operations/redrive";
import { testContext } from "./context";

/** Helpers shared by the integration tests of replays and redrive jobs against moto. */

export async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!
    .QueueArn!;
}

/** A queue's visible and in-flight counts as SQS reports them now. */
export async function depthOf(sqs: SQSClient, url: string): Promise<{ visible: number; inFlight: number }> {
  const a = (
    await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    )
  ).Attributes!;
  return { visible: Number(a.ApproximateNumberOfMessages), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible) };
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
    const job = getJob(testContext(), jobId);
    if (job.status !== "running") return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still running: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** A standard DLQ `<prefix>-<random>-dlq` with its source queue (maxReceiveCount 3), holding `n` letters "<body> <i>". */
export async function deadLetterQueueWith(sqs: SQSClient, prefix: string, n: number, body = "letter") {
  const name = `${prefix}-${randomUUID().slice(0, 8)}`;
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl!;
  const dlqArn = await queueArn(sqs, dlqUrl);
  const sourceUrl = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }) },
      }),
    )
  ).QueueUrl!;
  for (let start = 0; start < n; start += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: dlqUrl,
        Entries: Array.from({ length: Math.min(10, n - start) }, (_, i) => ({
          Id: `e${i}`,
          MessageBody: `${body} ${start + i}`,
        })),
      }),
    );
  }
  return { dlq: `${name}-dlq`, dlqUrl, dlqArn, source: name, sourceUrl };
}
