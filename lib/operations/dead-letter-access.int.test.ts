import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { LEASE_SECONDS, VIEWER_LEASE_LIMITS } from "../domain/dead-letter-lease";
import { getStore, listAudit } from "../store";
import { getTopology } from "./topology";
import { deleteLeased, openLease, purgeDeadLetters, releaseLease, renewLease } from "./dead-letter-browse";
import { contextAs, testContext } from "../../test/context";
import { deadLetterPair, queueArn, queueDepth, sendLetters } from "../../test/queues";

/**
 * Who may lease, delete and purge which queue, against moto: a viewer leases dead-letter queues
 * only and within caps; live and source queues need an operator; deletes and purges work on
 * dead-letter queues only.
 */

const clients = testContext().aws.clients;
const actor = (name: string, role: "viewer" | "operator" | "admin") => contextAs(name, role);
const MIN = 60_000;

const depth = (url: string) => queueDepth(clients.sqs, url);

/** A DLQ, its source queue (RedrivePolicy) and an unrelated live queue, each with `n` messages. */
async function queues(n = 3) {
  const pair = await deadLetterPair(clients.sqs, "acc", { sourceSuffix: "-src", maxReceiveCount: 5 });
  const live = `${pair.name}-live`;
  const liveUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: live }))).QueueUrl!;
  for (const url of [pair.dlqUrl, pair.sourceUrl, liveUrl]) await sendLetters(clients.sqs, url, n);
  return { ...pair, live, liveUrl };
}

describe("leases by role", () => {
  it(
    "refuses a viewer a live queue and a source queue (403), hiding nothing; an operator may read both",
    { timeout: 60_000 },
    async () => {
      const q = await queues();
      const vera = actor("vera", "viewer");
      await expect(openLease(vera, q.live, { max: 10, confirmSourceRead: false })).rejects.toMatchObject({
        code: "forbidden",
        status: 403,
      });
      await expect(openLease(vera, q.source, { max: 10, confirmSourceRead: true })).rejects.toMatchObject({
        code: "forbidden",
        status: 403,
      });
      expect(await depth(q.liveUrl)).toEqual({ visible: 3, inFlight: 0 });
      expect(await depth(q.sourceUrl)).toEqual({ visible: 3, inFlight: 0 });

      const otto = actor("otto", "operator");
      expect((await openLease(otto, q.live, { max: 10, confirmSourceRead: false })).messages).toHaveLength(3);
      await expect(openLease(otto, q.source, { max: 10, confirmSourceRead: false })).rejects.toMatchObject({
        code: "confirmation_required",
      });
      expect((await openLease(otto, q.source, { max: 10, confirmSourceRead: true })).messages).toHaveLength(3);
      await releaseLease(otto, q.live);
      await releaseLease(otto, q.source);
    },
  );

  it(
    "lets a viewer lease a dead-letter queue, capped in messages, audited once per lease",
    { timeout: 60_000 },
    async () => {
      const q = await queues(VIEWER_LEASE_LIMITS.messages + 5);
      const vera = actor("vera-2", "viewer");
      const lease = await openLease(vera, q.dlq, { max: 1000, confirmSourceRead: false });
      expect(lease.messages).toHaveLength(VIEWER_LEASE_LIMITS.messages);
      expect(lease.limited).toBe(true);
      expect(lease.notes.join(" ")).toMatch(/at most 100 messages/);
      const reads = (await listAudit(await getStore(), { action: "dead-letters.read" })).filter(
        (e) => e.requestId === vera.requestId,
      );
      expect(reads).toMatchObject([
        {
          actor: "vera-2",
          role: "viewer",
          target: q.dlqArn,
          outcome: "success",
          after: { messages: VIEWER_LEASE_LIMITS.messages, leaseId: lease.leaseId },
        },
      ]);
      expect(JSON.stringify(reads)).not.toContain("letter ");
      await releaseLease(vera, q.dlq);
    },
  );

  it("stamps the lease's expiry from before the first receive", { timeout: 60_000 }, async () => {
    const q = await queues(2);
    const otto = actor("otto-2", "operator");
    // The injected clock is read once, before receiving: the receive loop (which waits on an empty queue) does not move it.
    const now = Date.now();
    const lease = await openLease(otto, q.dlq, { max: 10, confirmSourceRead: false }, now);
    expect(lease.expiresAt).toBe(new Date(now + LEASE_SECONDS * 1000).toISOString());
    await releaseLease(otto, q.dlq);
  });

  it(
    "refuses a viewer's renewal beyond 15 leased minutes an hour, and a re-open that would reset it",
    { timeout: 60_000 },
    async () => {
      const q = await queues(2);
      const vera = actor("vera-3", "viewer");
      const t0 = Date.now();
      await openLease(vera, q.dlq, { max: 10, confirmSourceRead: false }, t0);
      expect(await renewLease(vera, q.dlq, t0 + 4 * MIN)).toEqual({ expiresAt: new Date(t0 + 9 * MIN).toISOString() });
      expect(await renewLease(vera, q.dlq, t0 + 8 * MIN)).toEqual({ expiresAt: new Date(t0 + 13 * MIN).toISOString() });
      expect(await renewLease(vera, q.dlq, t0 + 12 * MIN)).toEqual({
        expiresAt: new Date(t0 + 15 * MIN).toISOString(),
      });
      await expect(renewLease(vera, q.dlq, t0 + 14 * MIN)).rejects.toMatchObject({ code: "throttled", status: 429 });
      await expect(
        openLease(vera, q.dlq, { max: 10, confirmSourceRead: false }, t0 + 14.5 * MIN),
      ).rejects.toMatchObject({ code: "throttled" });
      // An operator's lease is not capped.
      const otto = actor("otto-3", "operator");
      await openLease(otto, q.dlq, { max: 10, confirmSourceRead: false }, t0);
      for (const at of [4, 8, 12, 16, 20].map((m) => t0 + m * MIN)) {
        expect(await renewLease(otto, q.dlq, at)).toEqual({
          expiresAt: new Date(at + LEASE_SECONDS * 1000).toISOString(),
        });
      }
      await releaseLease(otto, q.dlq);
    },
  );

  it("refuses a viewer a fourth lease at once", { timeout: 60_000 }, async () => {
    const vera = actor("vera-4", "viewer");
    const dlqs = await Promise.all(Array.from({ length: VIEWER_LEASE_LIMITS.leases + 1 }, () => queues(1)));
    for (const q of dlqs.slice(0, -1)) await openLease(vera, q.dlq, { max: 10, confirmSourceRead: false });
    await expect(openLease(vera, dlqs.at(-1)!.dlq, { max: 10, confirmSourceRead: false })).rejects.toMatchObject({
      code: "throttled",
    });
    await releaseLease(vera, dlqs[0]!.dlq);
    expect((await openLease(vera, dlqs.at(-1)!.dlq, { max: 10, confirmSourceRead: false })).messages).toHaveLength(1);
    for (const q of dlqs) await releaseLease(vera, q.dlq);

    // Opened all at once, the cap still holds.
    const wendy = actor("wendy", "viewer");
    const results = await Promise.allSettled(
      dlqs.map((q) => openLease(wendy, q.dlq, { max: 10, confirmSourceRead: false })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(VIEWER_LEASE_LIMITS.leases);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason)).toEqual([
      expect.objectContaining({ code: "throttled" }),
    ]);
    for (const q of dlqs) await releaseLease(wendy, q.dlq);
  });

  it(
    "asks SQS again when the shared graph, read before a source queue named it, says a queue is no DLQ",
    { timeout: 60_000 },
    async () => {
      const name = `late-dlq-${randomUUID().slice(0, 8)}`;
      const url = (await clients.sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
      await sendLetters(clients.sqs, url, 2);
      const vera = actor("vera-5", "viewer");
      // The shared graph, read now, holds the queue as a plain one…
      const graph = await getTopology(vera, { fresh: true });
      expect(graph.nodes.find((n) => n.queue && n.name === name)?.queue?.isDlq).toBe(false);
      await expect(openLease(vera, name, { max: 10, confirmSourceRead: false })).rejects.toMatchObject({
        code: "forbidden",
      });
      // …and a source queue names it afterwards, with no change made through the console.
      const redrivePolicy = { deadLetterTargetArn: await queueArn(clients.sqs, url), maxReceiveCount: 3 };
      await clients.sqs.send(
        new CreateQueueCommand({
          QueueName: `${name}-src`,
          Attributes: { RedrivePolicy: JSON.stringify(redrivePolicy) },
        }),
      );
      expect((await getTopology(vera)).collectedAt).toBe(graph.collectedAt);
      expect((await openLease(vera, name, { max: 10, confirmSourceRead: false })).messages).toHaveLength(2);
      // Judged from that same graph, not from a newer one.
      expect((await getTopology(vera)).collectedAt).toBe(graph.collectedAt);
      await releaseLease(vera, name);
    },
  );
});

describe("deleting and purging work on dead-letter queues only", () => {
  it(
    "refuses a delete of leased source-queue messages and a purge of a source or live queue (422); a DLQ's go through",
    { timeout: 60_000 },
    async () => {
      const q = await queues(2);
      const otto = actor("otto-4", "operator");
      const lease = await openLease(otto, q.source, { max: 10, confirmSourceRead: true });
      await expect(deleteLeased(otto, q.source, [lease.messages[0]!.messageId])).rejects.toMatchObject({
        code: "validation",
        status: 422,
        issues: [{ path: "name" }],
      });
      await releaseLease(otto, q.source);
      const ada = actor("ada", "admin");
      await expect(purgeDeadLetters(ada, q.source, q.source)).rejects.toMatchObject({
        code: "validation",
        issues: [{ path: "name" }],
      });
      await expect(purgeDeadLetters(ada, q.live, q.live)).rejects.toMatchObject({
        code: "validation",
        issues: [{ path: "name" }],
      });
      expect(await depth(q.sourceUrl)).toEqual({ visible: 2, inFlight: 0 });
      expect(await depth(q.liveUrl)).toEqual({ visible: 2, inFlight: 0 });
      expect(
        (await listAudit(await getStore(), { limit: 10_000 }))
          .filter((e) => e.requestId === otto.requestId || e.requestId === ada.requestId)
          .map((e) => e.action),
      ).not.toContain("dead-letters.purge");

      const dlqLease = await openLease(otto, q.dlq, { max: 10, confirmSourceRead: false });
      const id = dlqLease.messages[0]!.messageId;
      expect(await deleteLeased(otto, q.dlq, [id, "not-leased"])).toEqual({ deleted: [id], notLeased: ["not-leased"] });
      await purgeDeadLetters(ada, q.dlq, q.dlq);
    },
  );
});
