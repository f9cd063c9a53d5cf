import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { QueueHolds } from "../domain/lease-holds";
import { createRedriveJob, getRedriveJob, getStore, listAudit } from "../store";
import { openLease, renewLease, takeOverLeases } from "./dead-letter-browse";
import { queueHolds } from "./lease-holds";
import { runRedriveJob } from "./redrive-engine";
import { contextAs, testContext } from "../../test/context";
import { scopeOfContext } from "./context";
import { deadLetterQueueWith, queueArn, queueDepth } from "../../test/queues";

/**
 * Who else holds a DLQ's letters, against moto: other people's views and a running redrive job,
 * and an operator taking a view's lease over (audited, safe to repeat, never a job's letters).
 */

const clients = testContext().aws.clients;
const depth = (url: string) => queueDepth(clients.sqs, url);
const arnOf = (url: string) => queueArn(clients.sqs, url);
const deadLetterQueue = (n: number) => deadLetterQueueWith(clients.sqs, "holds", n);

const takeOverRows = async (arn: string) =>
  listAudit(await getStore(), { action: "dead-letters.lease.take-over", target: arn });

describe("who holds a queue's letters", () => {
  it(
    "tells an operator whose view holds them and until when; taking over shows them again, audited, once",
    { timeout: 60_000 },
    async () => {
      const q = await deadLetterQueue(5);
      const arn = q.dlqArn;
      // Each person's context, as the route wrapper builds one per request.
      const vera = () => contextAs("vera", "viewer");
      const otto = () => contextAs("otto", "operator");

      const leased = await openLease(vera(), q.dlq, { max: 100, confirmSourceRead: false });
      expect(leased.messages).toHaveLength(5);
      const seen: QueueHolds = await queueHolds(otto(), q.dlq);
      expect(seen).toEqual({
        queue: q.dlq,
        inFlight: 5,
        yours: 0,
        holds: [{ kind: "view", actor: "vera", count: 5, until: leased.expiresAt }],
        unaccounted: 0,
      });
      // The holder sees their own lease as theirs, not as someone else's.
      expect(await queueHolds(vera(), q.dlq)).toMatchObject({ yours: 5, holds: [], unaccounted: 0 });

      const taken = await takeOverLeases(otto(), q.dlq);
      expect(taken).toEqual({
        taken: [{ actor: "vera", count: 5, until: leased.expiresAt }],
        released: 5,
        jobsNotTakenOver: [],
      });
      expect(await depth(q.dlqUrl)).toEqual({ visible: 5, inFlight: 0 });
      const rows = await takeOverRows(arn);
      expect(rows.map((r) => [r.actor, r.outcome])).toEqual(
        expect.arrayContaining([
          ["otto", "pending"],
          ["otto", "success"],
        ]),
      );
      const intent = rows.find((r) => r.outcome === "pending")!;
      expect(intent.before).toEqual([
        expect.objectContaining({
          holder: "vera",
          messageIds: expect.arrayContaining(leased.messages.map((m) => m.messageId)),
        }),
      ]);
      // Ids only: no letter's content reaches the audit.
      expect(JSON.stringify(rows)).not.toContain("letter 0");

      // The holder learns who ended the lease: on renewal, and on the page's next look.
      await expect(renewLease(vera(), q.dlq)).rejects.toMatchObject({
        code: "conflict",
        message: expect.stringContaining("taken over by otto"),
      });
      expect((await queueHolds(vera(), q.dlq)).takenOver).toMatchObject({ leaseId: leased.leaseId, by: "otto" });
      expect(await depth(q.dlqUrl)).toEqual({ visible: 5, inFlight: 0 });

      // A retry finds nothing to take and changes nothing.
      expect(await takeOverLeases(otto(), q.dlq)).toEqual({ taken: [], released: 0, jobsNotTakenOver: [] });
      expect(await takeOverRows(arn)).toHaveLength(rows.length);

      // Opening the queue again is a fresh lease: the notice goes.
      await openLease(vera(), q.dlq, { max: 100, confirmSourceRead: false });
      expect((await queueHolds(vera(), q.dlq)).takenOver).toBeUndefined();
    },
  );

  it("takes over one holder's lease only when named, and never the caller's own", { timeout: 60_000 }, async () => {
    const q = await deadLetterQueue(6);
    await openLease(contextAs("vera", "viewer"), q.dlq, { max: 2, confirmSourceRead: false });
    await openLease(contextAs("temp", "viewer"), q.dlq, { max: 2, confirmSourceRead: false });
    await openLease(contextAs("otto", "operator"), q.dlq, { max: 2, confirmSourceRead: false });

    const one = await takeOverLeases(contextAs("otto", "operator"), q.dlq, { holder: "vera" });
    expect(one.taken.map((t) => t.actor)).toEqual(["vera"]);
    expect(await depth(q.dlqUrl)).toEqual({ visible: 2, inFlight: 4 });
    const left = await queueHolds(contextAs("otto", "operator"), q.dlq);
    expect(left.holds).toEqual([expect.objectContaining({ kind: "view", actor: "temp", count: 2 })]);
    expect(left.yours).toBe(2);

    const rest = await takeOverLeases(contextAs("otto", "operator"), q.dlq);
    expect(rest.taken.map((t) => t.actor)).toEqual(["temp"]);
    // Otto's own lease is his to release, not to take over.
    expect(await depth(q.dlqUrl)).toEqual({ visible: 4, inFlight: 2 });
  });

  it(
    "shows what a running redrive job holds and has left, and does not take the job's letters over",
    { timeout: 60_000 },
    async () => {
      const q = await deadLetterQueue(25);
      const jobId = randomUUID();
      await createRedriveJob(await getStore(), {
        id: jobId,
        scope: scopeOfContext(testContext()),
        actor: "otto",
        role: "operator",
        requestId: randomUUID(),
        dlq: { name: q.dlq, url: q.dlqUrl, arn: q.dlqArn, fifo: false },
        target: { name: q.source, url: q.sourceUrl, arn: await arnOf(q.sourceUrl), fifo: false },
        selection: { kind: "all" },
        leaseSeconds: 60,
        engine: "fanout",
        remaining: 25,
      });
      const ada = contextAs("ada", "admin");
      let during: QueueHolds | undefined;
      let takeOverDuring: Awaited<ReturnType<typeof takeOverLeases>> | undefined;
      const startedAt = Date.now();
      await runRedriveJob(contextAs("otto", "operator"), jobId, {
        hooks: {
          // The first batch is sent and not yet deleted: the job holds it in flight.
          afterSendRequest: async (batch) => {
            if (batch !== 1) return;
            during = await queueHolds(ada, q.dlq);
            takeOverDuring = await takeOverLeases(ada, q.dlq);
          },
        },
      });
      expect(await getRedriveJob(await getStore(), jobId)).toMatchObject({ status: "completed", moved: 25 });

      const hold = during!.holds.find((h) => h.kind === "job");
      expect(hold).toMatchObject({ kind: "job", jobId, actor: "otto", engine: "fanout", count: 10, moved: 0 });
      const until = Date.parse(hold!.until!);
      expect(until).toBeGreaterThanOrEqual(startedAt + 60_000);
      expect(until).toBeLessThanOrEqual(Date.now() + 60_000);
      expect(during!.unaccounted).toBe(0);
      expect(takeOverDuring).toEqual({ taken: [], released: 0, jobsNotTakenOver: [jobId] });

      // Once the job has ended it holds nothing and is no longer listed.
      expect((await queueHolds(ada, q.dlq)).holds).toEqual([]);
    },
  );
});
