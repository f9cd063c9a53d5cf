import { describe, expect, it } from "vitest";
import { deadLetterQueueWith } from "../../test/queues";
import { getStore, listAudit } from "../store";
import { deleteLeased, exportLeased, openLease, purgeDeadLetters } from "./dead-letter-browse";
import { actOnJob, getJob, startReplay } from "./redrive";
import { contextAs, testContext } from "../../test/context";

/**
 * The changes the other integration tests do not look at in the audit trail: deleting, exporting
 * and purging dead letters, pausing, resuming and cancelling a redrive. Each is recorded with its
 * actor, role, target ARN, request id and outcome; nothing of a message's content goes in.
 */

const actor = (name: string, role: "operator" | "admin") => contextAs(name, role);

const deadLetterQueue = async (n: number) =>
  deadLetterQueueWith(testContext().aws.clients.sqs, "audit", n, "secret letter");

const entriesOf = async (requestId: string) =>
  (await listAudit(await getStore(), { limit: 10_000 })).filter((e) => e.requestId === requestId);

describe("the audit trail records every change", () => {
  it("deleting and exporting dead letters, and purging the queue", { timeout: 60_000 }, async () => {
    const q = await deadLetterQueue(3);
    const olga = actor("olga", "operator");
    const lease = await openLease(olga, q.dlq, { max: 10, confirmSourceRead: false });
    const [first, second] = lease.messages.map((m) => m.messageId);

    await exportLeased(olga, q.dlq, [second!]);
    await deleteLeased(olga, q.dlq, [first!]);
    const trail = await entriesOf(olga.requestId);
    // Reading is audited once per lease; the delete as an intent before SQS is asked, then its outcome.
    expect(trail.map((e) => `${e.action} ${e.outcome}`).sort()).toEqual([
      "dead-letters.delete pending",
      "dead-letters.delete success",
      "dead-letters.export success",
      "dead-letters.read success",
    ]);
    for (const e of trail) expect(e).toMatchObject({ actor: "olga", role: "operator", target: q.dlqArn });
    const deletes = trail.filter((e) => e.action === "dead-letters.delete");
    expect(deletes.find((e) => e.outcome === "pending")!.after).toMatchObject({ deleting: [first] });
    expect(deletes.find((e) => e.outcome === "success")!.after).toMatchObject({ deleted: [first] });
    // The intent was written first.
    expect(deletes.find((e) => e.outcome === "pending")!.id).toBeLessThan(
      deletes.find((e) => e.outcome === "success")!.id,
    );
    expect(JSON.stringify(trail)).not.toContain("secret letter");

    const ada = actor("ada", "admin");
    await expect(purgeDeadLetters(ada, q.dlq, "not-the-name")).rejects.toMatchObject({ code: "validation" });
    await purgeDeadLetters(ada, q.dlq, q.dlq);
    // Newest first: the outcome after the intent.
    expect(await entriesOf(ada.requestId)).toMatchObject([
      { action: "dead-letters.purge", actor: "ada", role: "admin", target: q.dlqArn, outcome: "success" },
      { action: "dead-letters.purge", actor: "ada", role: "admin", target: q.dlqArn, outcome: "pending" },
    ]);
    // The counts purged are what the queue held before; after it, the queue is empty.
    const [purged] = await entriesOf(ada.requestId);
    const before = purged!.before as { visible: number; inFlight: number; delayed: number };
    expect(before).toEqual({ visible: expect.any(Number), inFlight: expect.any(Number), delayed: expect.any(Number) });
    expect(before.visible + before.inFlight).toBeGreaterThan(0);
    expect(purged!.after).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("pausing, resuming and cancelling a redrive job", { timeout: 60_000 }, async () => {
    const q = await deadLetterQueue(40);
    const otto = actor("otto", "operator");
    // One message a second: the job is still running while it is paused, resumed and cancelled.
    const job = await startReplay(otto, q.dlq, { all: true, ratePerSecond: 1 });
    const pause = actor("otto", "operator");
    await actOnJob(pause, job.id, "pause");
    const resume = actor("otto", "operator");
    await actOnJob(resume, job.id, "resume");
    const cancel = actor("otto", "operator");
    await actOnJob(cancel, job.id, "cancel");
    expect((await entriesOf(otto.requestId)).map((e) => e.action)).toContain("dead-letters.replay");
    for (const [a, action] of [
      [pause, "dead-letters.redrive.pause"],
      [resume, "dead-letters.redrive.resume"],
      [cancel, "dead-letters.redrive.cancel"],
    ] as const) {
      expect(await entriesOf(a.requestId)).toMatchObject([
        { action, actor: "otto", role: "operator", outcome: "success" },
      ]);
    }
    await expect.poll(async () => (await getJob(testContext(), job.id)).status, { timeout: 30_000 }).toBe("cancelled");
  });
});
