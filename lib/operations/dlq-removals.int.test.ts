import { describe, expect, it } from "vitest";
import { deadLetterQueueWith } from "../../test/queues";
import { getStore, listDlqRemovals } from "../store";
import { deleteLeased, openLease, purgeDeadLetters } from "./dead-letter-browse";
import { getJob, startReplay } from "./redrive";
import { contextAs, testContext } from "../../test/context";
import { scopeOfContext } from "./context";

/**
 * What the console takes out of a DLQ is booked as it happens, batch by batch, for the SLA: a
 * repair must never read as new dead letters, however long it runs.
 */

const actor = (role: "operator" | "admin") => contextAs("otto", role);

const deadLetterQueue = async (n: number) =>
  (await deadLetterQueueWith(testContext().aws.clients.sqs, "removals", n)).dlq;

const removalsOf = async (dlq: string) =>
  (await listDlqRemovals(await getStore(), scopeOfContext(testContext()), [dlq], 0)).get(dlq) ?? [];

describe("the console books its removals from a DLQ as they happen", () => {
  it(
    "a replay by Fanout's engine: one removal per deleted batch, adding up to what it moved",
    { timeout: 120_000 },
    async () => {
      const dlq = await deadLetterQueue(25);
      const started = await startReplay(actor("operator"), dlq, { all: true });
      await expect
        .poll(async () => (await getJob(testContext(), started.id)).status, { timeout: 90_000, interval: 300 })
        .toBe("completed");
      const removals = await removalsOf(dlq);
      expect(removals.every((r) => r.source === "redrive" && r.count >= 1 && r.count <= 10)).toBe(true);
      expect(removals.length).toBeGreaterThanOrEqual(3);
      const { moved } = await getJob(testContext(), started.id);
      expect(removals.reduce((n, r) => n + r.count, 0)).toBe(moved);
      expect(moved).toBe(25);
    },
  );

  it("deleting leased dead letters, and purging the queue (its depth at the time)", { timeout: 60_000 }, async () => {
    const dlq = await deadLetterQueue(5);
    const operator = actor("operator");
    const lease = await openLease(operator, dlq, { max: 10, confirmSourceRead: false });
    const [first, second] = lease.messages.map((m) => m.messageId);
    await deleteLeased(operator, dlq, [first!, second!]);
    expect((await removalsOf(dlq)).map((r) => [r.source, r.count])).toEqual([["delete", 2]]);
    await purgeDeadLetters(actor("admin"), dlq, dlq);
    // The other 3 were still leased (in flight): a purge deletes them too.
    expect((await removalsOf(dlq)).map((r) => [r.source, r.count])).toEqual([
      ["delete", 2],
      ["purge", 3],
    ]);
  });
});
