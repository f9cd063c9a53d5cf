/**
 * `npm run -s bench:redrive [-- N]`: Fanout's redrive engine against a naive one-message-at-a-time
 * loop (ReceiveMessage 1, SendMessage, DeleteMessage), in the same run, on a moto server of its
 * own. Each side gets a fresh DLQ with the same N dead letters (default 500: moto slows as a
 * queue deepens). Prints one JSON object:
 * { messages, engine: { seconds, apiCallsPerMessage, lost, duplicated }, naive: { … }, speedup }.
 * With 10-message batches the floor is 0.3 calls per message (receive, send, delete).
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { startMoto } from "../infra/local";
import { findFreePort } from "../scripts/lib/processes";
import { testContext, storeIn } from "../test/context";
import { runBench } from "./cli";

const messages = Number(process.argv[2] ?? 500);

interface Result {
  seconds: number;
  apiCallsPerMessage: number;
  lost: number;
  duplicated: number;
}

/** Counts every SQS command the client sends (retries of one command count once). */
function countCalls(sqs: SQSClient) {
  const counter = { calls: 0 };
  sqs.middlewareStack.add(
    (next) => (args) => {
      counter.calls++;
      return next(args);
    },
    { step: "initialize", name: "benchCallCounter" },
  );
  return counter;
}

async function main() {
  const port = await findFreePort();
  // moto's request log would bury the one JSON line this prints.
  const moto = await startMoto({ port, logTo: new Writable({ write: (_chunk, _encoding, done) => done() }) });
  storeIn(mkdtempSync(path.join(os.tmpdir(), "fanout-bench-")), `http://127.0.0.1:${port}`);
  const { createRedriveJob, getStore } = await import("../lib/store");
  const { runRedriveJob } = await import("../lib/operations/redrive-engine");
  const ctx = testContext({ endpoint: `http://127.0.0.1:${port}` });
  const sqs = ctx.aws.clients.sqs;
  const counter = countCalls(sqs);

  const arnOf = async (url: string) =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!
      .QueueArn!;

  async function setUp(label: string) {
    const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `bench-${label}-dlq` }))).QueueUrl!;
    const sourceUrl = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: `bench-${label}`,
          Attributes: {
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arnOf(dlqUrl), maxReceiveCount: 3 }),
          },
        }),
      )
    ).QueueUrl!;
    for (let start = 0; start < messages; start += 10) {
      const entries = Array.from({ length: Math.min(10, messages - start) }, (_, i) => ({
        Id: `e${i}`,
        MessageBody: JSON.stringify({ seq: start + i, padding: "x".repeat(200) }),
        MessageAttributes: { eventType: { DataType: "String", StringValue: "order.placed" } },
      }));
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: dlqUrl, Entries: entries }));
    }
    return {
      dlqUrl,
      sourceUrl,
      sourceArn: await arnOf(sourceUrl),
      dlqArn: await arnOf(dlqUrl),
      name: `bench-${label}`,
    };
  }

  /** What arrived in the source: lost = sent but found nowhere; duplicated = extra copies. */
  async function audit(sourceUrl: string, dlqUrl: string): Promise<{ lost: number; duplicated: number }> {
    const seen = new Map<number, number>();
    for (const url of [sourceUrl, dlqUrl]) {
      for (let empty = 0; empty < 2;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 120 }),
        );
        empty = Messages.length ? 0 : empty + 1;
        for (const m of Messages) {
          const seq = (JSON.parse(m.Body!) as { seq: number }).seq;
          seen.set(seq, (seen.get(seq) ?? 0) + 1);
        }
        if (Messages.length)
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: url,
              Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })),
            }),
          );
      }
    }
    let duplicated = 0;
    for (const n of seen.values()) duplicated += n - 1;
    return { lost: messages - seen.size, duplicated };
  }

  async function measure(run: () => Promise<void>, q: { sourceUrl: string; dlqUrl: string }): Promise<Result> {
    const callsBefore = counter.calls;
    const began = performance.now();
    await run();
    const seconds = (performance.now() - began) / 1000;
    const apiCallsPerMessage = (counter.calls - callsBefore) / messages;
    return {
      seconds: Number(seconds.toFixed(2)),
      apiCallsPerMessage: Number(apiCallsPerMessage.toFixed(3)),
      ...(await audit(q.sourceUrl, q.dlqUrl)),
    };
  }

  try {
    const e = await setUp("engine");
    const jobId = randomUUID();
    await createRedriveJob(await getStore(), {
      id: jobId,
      scope: { environment: ctx.environment.id, region: ctx.environment.region },
      actor: "bench",
      role: "operator",
      requestId: jobId,
      dlq: { name: `${e.name}-dlq`, url: e.dlqUrl, arn: e.dlqArn, fifo: false },
      target: { name: e.name, url: e.sourceUrl, arn: e.sourceArn, fifo: false },
      selection: { kind: "all" },
      leaseSeconds: 60,
      engine: "fanout",
    });
    const engine = await measure(async () => {
      const job = await runRedriveJob(ctx, jobId);
      if (job?.status !== "completed") throw new Error(`the engine's job ended ${job?.status}: ${job?.error ?? ""}`);
    }, e);

    const n = await setUp("naive");
    const naive = await measure(async () => {
      for (let empty = 0; empty < 2;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: n.dlqUrl,
            MaxNumberOfMessages: 1,
            VisibilityTimeout: 60,
            MessageAttributeNames: ["All"],
          }),
        );
        const m = Messages[0];
        if (!m) {
          empty++;
          continue;
        }
        empty = 0;
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: n.sourceUrl,
            MessageBody: m.Body!,
            MessageAttributes: m.MessageAttributes,
          }),
        );
        await sqs.send(new DeleteMessageCommand({ QueueUrl: n.dlqUrl, ReceiptHandle: m.ReceiptHandle! }));
      }
    }, n);

    console.log(
      JSON.stringify({ messages, engine, naive, speedup: Number((naive.seconds / engine.seconds).toFixed(2)) }),
    );
  } finally {
    await moto.stop();
  }
}

runBench(main);
