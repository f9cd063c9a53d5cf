import { describe, expect, it } from "vitest";
import { contextAs } from "../../test/context";
import { throughFaultProxy } from "../../test/proxied-context";
import { deadLetterQueueWith } from "../../test/queues";

/** Deleting dead letters when SQS fails halfway, simulated by a proxy between the console and moto. */

/** Acts through the proxy: every AWS call of this file goes through it. */
const through = throughFaultProxy((endpoint) => contextAs("olga", "operator", { endpoint }));

describe("a delete that fails halfway", () => {
  it(
    "audits the intent, then what was deleted before the failing batch, and what was not",
    { timeout: 60_000 },
    async () => {
      const { getStore, listAudit } = await import("../store");
      const { deleteLeased, openLease } = await import("./dead-letter-browse");
      const operator = through.context;
      // Fifteen letters: deleted in two DeleteMessageBatch requests, of ten and five.
      const { dlq } = await deadLetterQueueWith(operator.aws.clients.sqs, "df", 15);
      const lease = await openLease(operator, dlq, { max: 50, confirmSourceRead: false });
      const ids = lease.messages.map((m) => m.messageId);
      expect(ids).toHaveLength(15);

      // The first batch of ten goes through; the second is refused.
      through.proxy.setFault({
        mode: "error",
        status: 400,
        code: "AccessDenied",
        message: "denied by the fault proxy",
        operation: "DeleteMessageBatch",
        skip: 1,
        times: 1,
      });
      await expect(deleteLeased(operator, dlq, ids)).rejects.toThrow();
      through.proxy.setFault({ mode: "pass" });

      const rows = (await listAudit(await getStore(), { action: "dead-letters.delete" })).filter(
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
