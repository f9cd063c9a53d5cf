import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { CreateQueueCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { rememberCapability } from "../aws/call";
import { settled } from "../../test/redrive-helpers";
import { deadLetterPair, drain as drainQueue } from "../../test/queues";
import { ORIGINAL_ID_ATTRIBUTE } from "../domain/replay";
import { getStore, listAudit, listRedriveJobs } from "../store";
import { openLease } from "./dead-letter-browse";
import { startReplay } from "./redrive";
import { contextAs } from "../../test/context";
import { scopeOfContext } from "./context";

/**
 * The rules a replay follows before and while it sends: AWS's limits (move-task rate, the target
 * queue's MaximumMessageSize), who may choose the target, what happens to masked messages, and
 * what the audit records.
 */

const masking = { env: { FANOUT_MASK_FIELDS: "customer.email" } };
const operator = contextAs("otto", "operator", masking);
const admin = contextAs("ada", "admin", masking);
const clients = operator.aws.clients;

/** A standard source queue (with the given attributes) whose RedrivePolicy names a DLQ, and an unrelated queue. */
async function pipeline(sourceAttributes: Record<string, string> = {}) {
  const q = await deadLetterPair(clients.sqs, "rr", { sourceSuffix: "-src", maxReceiveCount: 5, sourceAttributes });
  const otherName = `${q.name}-other`;
  const otherUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: otherName }))).QueueUrl!;
  return { dlqName: q.dlq, dlqUrl: q.dlqUrl, sourceName: q.source, sourceUrl: q.sourceUrl, otherName, otherUrl };
}

const drain = (url: string) => drainQueue(clients.sqs, url);

const jobsOf = async (dlqName: string) =>
  (await listRedriveJobs(await getStore(), scopeOfContext(operator), { dlqName })).length;
const replayAudit = async (jobId: string) =>
  (await listAudit(await getStore(), { action: "dead-letters.replay" })).find(
    (e) => (e.after as { jobId: string }).jobId === jobId,
  );

afterEach(() => {
  // moto has no message move task: every test starts from what the probe would find.
  rememberCapability(operator.aws.key, "sqs", "StartMessageMoveTask", "not_supported");
});

describe("the replay target is checked on the server", () => {
  it(
    "refuses an operator's replay to a queue that is not the DLQ's source (403), asks an admin to confirm, and sends an admin's override",
    { timeout: 60_000 },
    async () => {
      const q = await pipeline();
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: q.dlqUrl, MessageBody: "to elsewhere" }));

      await expect(startReplay(operator, q.dlqName, { all: true, target: q.otherName })).rejects.toMatchObject({
        code: "forbidden",
        issues: [{ path: "target" }],
      });
      await expect(
        startReplay(operator, q.dlqName, { all: true, target: { queue: q.otherName, override: true } }),
      ).rejects.toMatchObject({ code: "forbidden" });
      await expect(startReplay(admin, q.dlqName, { all: true, target: q.otherName })).rejects.toMatchObject({
        code: "validation",
        message: expect.stringMatching(/override: true/),
      });
      expect(await jobsOf(q.dlqName)).toBe(0);

      const started = await startReplay(admin, q.dlqName, {
        all: true,
        target: { queue: q.otherName, override: true },
      });
      expect(started.target).toBe(q.otherName);
      expect(await settled(started.id)).toMatchObject({ status: "completed", moved: 1 });
      expect((await drain(q.otherUrl)).map((m) => m.Body)).toEqual(["to elsewhere"]);
      expect((await replayAudit(started.id))?.after).toMatchObject({ target: q.otherName, override: true });
    },
  );

  it("still lets an operator replay to the source, by name or as { queue }", { timeout: 60_000 }, async () => {
    const q = await pipeline();
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: q.dlqUrl, MessageBody: "home" }));
    const started = await startReplay(operator, q.dlqName, { all: true, target: { queue: q.sourceName } });
    expect(await settled(started.id)).toMatchObject({ status: "completed", moved: 1 });
    expect((await drain(q.sourceUrl)).map((m) => m.Body)).toEqual(["home"]);
  });
});

describe("a message move task's rate", () => {
  it("is refused outside 1 to 500 (or not whole) when SQS's move task would run the job, before any job starts", async () => {
    const q = await pipeline();
    rememberCapability(operator.aws.key, "sqs", "StartMessageMoveTask", "supported");
    for (const ratePerSecond of [0.4, 2.5, 501, 3000]) {
      await expect(startReplay(operator, q.dlqName, { all: true, ratePerSecond })).rejects.toMatchObject({
        code: "validation",
        issues: [{ path: "ratePerSecond" }],
        message: expect.stringMatching(/from 1 to 500/),
      });
    }
    expect(await jobsOf(q.dlqName)).toBe(0);
  });

  it("is Fanout's own limit when Fanout's engine runs the job", { timeout: 60_000 }, async () => {
    const q = await pipeline();
    const started = await startReplay(operator, q.dlqName, { all: true, ratePerSecond: 1000 });
    expect(started).toMatchObject({ engine: "fanout", ratePerSecond: 1000 });
    await settled(started.id);
  });

  it("leaves a dead-letters.redrive.finish audit entry when a move-task job ends", { timeout: 60_000 }, async () => {
    const q = await pipeline();
    rememberCapability(operator.aws.key, "sqs", "StartMessageMoveTask", "supported");
    const started = await startReplay(operator, q.dlqName, { all: true, ratePerSecond: 5 });
    expect(started.engine).toBe("sqs-move-task");
    // moto answers StartMessageMoveTask with an HTML 500: the job fails, and that end is audited.
    const ended = await settled(started.id);
    expect(ended.status).toBe("failed");
    const finish = (await listAudit(await getStore(), { action: "dead-letters.redrive.finish" })).find(
      (e) => (e.after as { jobId: string }).jobId === started.id,
    );
    expect(finish).toMatchObject({
      outcome: "failure",
      actor: operator.actor.name,
      after: { engine: "sqs-move-task", status: "failed" },
    });
  });
});

describe("sizes follow the target queue's MaximumMessageSize", () => {
  it(
    "replays a letter that fits the target only without Fanout's original-id attribute, leaving the attribute out",
    { timeout: 60_000 },
    async () => {
      const q = await pipeline({ MaximumMessageSize: "1024" });
      // 1000 bytes fit the 1,024-byte queue; the original-id attribute (about 70 bytes) would not.
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: q.dlqUrl, MessageBody: "x".repeat(1000) }));
      const started = await startReplay(operator, q.dlqName, { all: true });
      expect(await settled(started.id)).toMatchObject({ status: "completed", moved: 1, failed: 0 });
      const [back] = await drain(q.sourceUrl);
      expect(back?.Body).toHaveLength(1000);
      expect(back?.MessageAttributes?.[ORIGINAL_ID_ATTRIBUTE]).toBeUndefined();
    },
  );

  it(
    "refuses an edit larger than the target's limit (422 naming the field and the limit) before anything is sent",
    { timeout: 60_000 },
    async () => {
      const q = await pipeline({ MaximumMessageSize: "1024" });
      // JSON: with masking rules in force, a body that is not JSON is withheld and cannot be edited.
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: q.dlqUrl, MessageBody: '"small"' }));
      const [m] = (await openLease(operator, q.dlqName, { max: 10, confirmSourceRead: false })).messages;
      await expect(
        startReplay(operator, q.dlqName, { messageIds: [m!.messageId], edits: { body: "y".repeat(2000) } }),
      ).rejects.toMatchObject({
        code: "validation",
        issues: [{ path: "edits.body" }],
        message: expect.stringMatching(/2000 bytes.*at most 1024/),
      });
      expect(await jobsOf(q.dlqName)).toBe(0);
    },
  );

  it("sends an edit over 256 KiB to a queue that takes 1 MiB", { timeout: 60_000 }, async () => {
    const q = await pipeline();
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: q.dlqUrl, MessageBody: '"small"' }));
    const [m] = (await openLease(operator, q.dlqName, { max: 10, confirmSourceRead: false })).messages;
    const started = await startReplay(operator, q.dlqName, {
      messageIds: [m!.messageId],
      edits: { body: "z".repeat(300_000) },
    });
    expect(await settled(started.id)).toMatchObject({ status: "completed", moved: 1 });
    expect((await drain(q.sourceUrl))[0]?.Body).toHaveLength(300_000);
  });
});

describe("MessageGroupId on a standard queue", () => {
  it("is kept on replay, so a fair queue keeps the message's tenant", { timeout: 60_000 }, async () => {
    const q = await pipeline();
    await clients.sqs.send(
      new SendMessageCommand({ QueueUrl: q.dlqUrl, MessageBody: "tenant message", MessageGroupId: "tenant-a" }),
    );
    const started = await startReplay(operator, q.dlqName, { all: true });
    expect(await settled(started.id)).toMatchObject({ status: "completed", moved: 1 });
    const [back] = await drain(q.sourceUrl);
    expect(back?.Attributes?.MessageGroupId).toBe("tenant-a");
  });
});

describe("edited replays and masking", () => {
  it(
    "refuses an edited replay of a message with masked fields (409), and the dead letter stays",
    { timeout: 60_000 },
    async () => {
      const q = await pipeline();
      const secret = `someone-${randomUUID()}@example.com`;
      await clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: q.dlqUrl,
          MessageBody: JSON.stringify({ customer: { email: secret }, n: 1 }),
        }),
      );
      const [m] = (await openLease(operator, q.dlqName, { max: 10, confirmSourceRead: false })).messages;
      expect(m!.masked).toEqual(["payload.customer.email"]);

      // What a client that edits the body it was shown sends: the mask in place of the address.
      const edited = m!.body.replace('"n":1', '"n":2');
      await expect(
        startReplay(operator, q.dlqName, { messageIds: [m!.messageId], edits: { body: edited } }),
      ).rejects.toMatchObject({
        code: "conflict",
        message: expect.stringMatching(/has masked fields \(payload\.customer\.email\)/),
      });
      // Even an edit that leaves the masked field out: the server cannot tell a removal from a mistake.
      await expect(
        startReplay(operator, q.dlqName, { messageIds: [m!.messageId], edits: { body: '{"n":2}' } }),
      ).rejects.toMatchObject({ code: "conflict" });
      expect(await jobsOf(q.dlqName)).toBe(0);
      expect(await drain(q.sourceUrl)).toEqual([]);

      // The unedited replay sends the original, secret and all.
      const started = await startReplay(operator, q.dlqName, { messageIds: [m!.messageId] });
      expect(await settled(started.id)).toMatchObject({ status: "completed", moved: 1 });
      expect(JSON.parse((await drain(q.sourceUrl))[0]!.Body!)).toEqual({ customer: { email: secret }, n: 1 });
    },
  );

  it(
    "refuses an edited replay of a message whose payload is withheld (not JSON while masking rules are in force)",
    { timeout: 60_000 },
    async () => {
      const q = await pipeline();
      await clients.sqs.send(
        new SendMessageCommand({ QueueUrl: q.dlqUrl, MessageBody: "corrupted order event {customer: secret" }),
      );
      const [m] = (await openLease(operator, q.dlqName, { max: 10, confirmSourceRead: false })).messages;
      expect(m!.withheld).toMatchObject({ part: "body" });
      await expect(
        startReplay(operator, q.dlqName, { messageIds: [m!.messageId], edits: { body: m!.body } }),
      ).rejects.toMatchObject({
        code: "conflict",
        message: expect.stringMatching(/is withheld/),
      });
      expect(await jobsOf(q.dlqName)).toBe(0);
    },
  );

  it("refuses an edit of a message that is not in the requester's lease", async () => {
    const q = await pipeline();
    await expect(
      startReplay(operator, q.dlqName, { messageIds: ["not-leased"], edits: { body: "x" } }),
    ).rejects.toMatchObject({ code: "conflict", issues: [{ path: "messageIds" }] });
  });

  it(
    "records in the audit what an edited replay sent, masked like everything else there",
    { timeout: 60_000 },
    async () => {
      const q = await pipeline();
      await clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: q.dlqUrl,
          MessageBody: JSON.stringify({ n: 1 }),
          MessageAttributes: { kind: { DataType: "String", StringValue: "order" } },
        }),
      );
      const [m] = (await openLease(operator, q.dlqName, { max: 10, confirmSourceRead: false })).messages;
      expect(m!.masked).toEqual([]);
      const secret = `new-${randomUUID()}@example.com`;
      const body = JSON.stringify({ n: 2, customer: { email: secret } });
      const started = await startReplay(operator, q.dlqName, { messageIds: [m!.messageId], edits: { body } });
      expect(started.edited).toBe(true);
      expect(await settled(started.id)).toMatchObject({ status: "completed", moved: 1 });
      expect((await drain(q.sourceUrl))[0]?.Body).toBe(body);

      const entry = (await replayAudit(started.id))!;
      expect(entry.after).toMatchObject({
        edited: true,
        sent: {
          body: JSON.stringify({ n: 2, customer: { email: "••••" } }),
          attributes: { kind: { dataType: "String", stringValue: "order" } },
          masked: ["payload.customer.email"],
        },
      });
      expect(JSON.stringify(entry)).not.toContain(secret);
    },
  );
});
