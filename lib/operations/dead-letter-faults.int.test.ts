import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { contextAs } from "../../test/context";
import type { OperationContext } from "./context";
import { startFaultProxy, type FaultProxy } from "../../test/fault-proxy";

/** Deleting dead letters when SQS fails halfway, simulated by a proxy between the console and moto. */

let proxy: FaultProxy;
/** Acts through the proxy: every AWS call of this file goes through it. */
let operator: OperationContext;

beforeAll(async () => {
  proxy = await startFaultProxy(inject("awsEndpoint"));
  operator = contextAs("olga", "operator", { endpoint: proxy.url });
});
afterAll(() => proxy.close());

describe("a delete that fails halfway", () => {
  it(
    "audits the intent, then what was deleted before the failing batch, and what was not",
    { timeout: 60_000 },
    async () => {
      const { getStore, listAudit } = await import("../store");
      const { deleteLeased, openLease } = await import("./dead-letter-browse");
      const sqs = operator.aws.clients.sqs;
      const name = `df-${randomUUID().slice(0, 8)}`;
      const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl!;
      const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] })))
        .Attributes!.QueueArn!;
      await sqs.send(
        new CreateQueueCommand({
          QueueName: name,
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }) },
        }),
      );
      for (const start of [0, 10]) {
        await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: dlqUrl,
            Entries: Array.from({ length: start ? 5 : 10 }, (_, i) => ({
              Id: `e${i}`,
              MessageBody: `letter ${start + i}`,
            })),
          }),
        );
      }
      const lease = await openLease(operator, `${name}-dlq`, { max: 50, confirmSourceRead: false });
      const ids = lease.messages.map((m) => m.messageId);
      expect(ids).toHaveLength(15);

      // The first batch of ten goes through; the second is refused.
      proxy.setFault({
        mode: "error",
        status: 400,
        code: "AccessDenied",
        message: "denied by the fault proxy",
        operation: "DeleteMessageBatch",
        skip: 1,
        times: 1,
      });
      await expect(deleteLeased(operator, `${name}-dlq`, ids)).rejects.toThrow();
      proxy.setFault({ mode: "pass" });

      const rows = listAudit(getStore(), { action: "dead-letters.delete" }).filter(
        (e) => e.requestId === operator.requestId,
      );
      expect(rows.map((e) => e.outcome)).toEqual(["failure", "pending"]);
      const [failure, intent] = rows;
      expect(intent!.after).toEqual({ deleting: ids, notLeased: [] });
      expect(failure!.after).toEqual({ deleted: ids.slice(0, 10), notDeleted: ids.slice(10), notLeased: [] });
      expect(failure!.detail).toMatch(/denied by the fault proxy/);
    },
  );
});
