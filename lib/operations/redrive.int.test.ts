import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type Message,
} from "@aws-sdk/client-sqs";
import { settled } from "../../test/redrive-helpers";
import { deadLetterPair, drain as drainQueue, queueArn, queueDepth } from "../../test/queues";
import { AppError } from "../domain/app-error";
import { ORIGINAL_ID_ATTRIBUTE } from "../domain/replay";
import { createRedriveJob, getRedriveJob, getStore, listAudit, listRedriveItems, updateRedriveJob } from "../store";
import { deleteLeased, openLease, releaseLease, revealField } from "./dead-letter-browse";
import { actOnJob, getJob, listJobs, startReplay } from "./redrive";
import { runRedriveJob } from "./redrive-engine";
import { contextAs } from "../../test/context";
import { scopeOfContext } from "./context";

const operator = contextAs("otto", "operator", { env: { FANOUT_MASK_FIELDS: "customer.email" } });
const clients = operator.aws.clients;

const arnOf = (url: string) => queueArn(clients.sqs, url);

/** Messages in a queue, visible or in flight. */
async function depth(url: string) {
  const { visible, inFlight } = await queueDepth(clients.sqs, url);
  return visible + inFlight;
}

/** A source queue whose RedrivePolicy names a DLQ, both FIFO or both standard. */
async function pipeline(fifo: boolean, maxReceiveCount = 5) {
  const q = await deadLetterPair(clients.sqs, "rd", {
    sourceSuffix: "-src",
    fifo,
    maxReceiveCount,
    dlqAttributes: { MessageRetentionPeriod: "1209600" },
    sourceAttributes: { VisibilityTimeout: "30" },
  });
  return { dlqName: q.dlq, dlqUrl: q.dlqUrl, sourceName: q.source, sourceUrl: q.sourceUrl };
}

const groups = ["g0", "g1", "g2", "g3", "g4"];

/** Puts `n` dead letters straight into a DLQ: body {seq, group}, three attribute types, a trace header. */
async function seed(dlqUrl: string, n: number, fifo: boolean) {
  for (let start = 0; start < n; start += 10) {
    const entries = Array.from({ length: Math.min(10, n - start) }, (_, i) => {
      const seq = start + i;
      const group = groups[seq % groups.length]!;
      return {
        Id: `e${i}`,
        MessageBody: JSON.stringify({ seq, group }),
        MessageAttributes: {
          eventType: { DataType: "String", StringValue: seq % 2 ? "order.paid" : "order.placed" },
          amount: { DataType: "Number", StringValue: String(seq + 0.5) },
          blob: { DataType: "Binary", BinaryValue: Buffer.from([seq % 256, 1, 2]) },
        },
        MessageSystemAttributes: {
          AWSTraceHeader: {
            DataType: "String",
            StringValue: `Root=1-00000000-${String(seq).padStart(24, "0")};Sampled=1`,
          },
        },
        ...(fifo ? { MessageGroupId: group, MessageDeduplicationId: `seed-${seq}` } : {}),
      };
    });
    const out = await clients.sqs.send(new SendMessageBatchCommand({ QueueUrl: dlqUrl, Entries: entries }));
    expect(out.Failed ?? []).toEqual([]);
  }
}

const drain = (url: string) => drainQueue(clients.sqs, url);

/** Letters a receive can get right now (visible), leaving them visible. */
async function visibleNow(url: string) {
  const a = (
    await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages"] }),
    )
  ).Attributes!;
  return Number(a.ApproximateNumberOfMessages);
}

const seqOf = (m: Message) => (JSON.parse(m.Body!) as { seq: number }).seq;

/** Starts a replay of a DLQ as the operator and waits until the job settles. */
const replayed = async (dlqName: string, request: Parameters<typeof startReplay>[2]) =>
  settled((await startReplay(operator, dlqName, request)).id);

/** Puts dead letters with a `kind` attribute into a DLQ, ten a request; one with a group, into a FIFO DLQ. */
async function sendKinds(dlqUrl: string, letters: { seq: number; kind: string; group?: string }[]) {
  for (let i = 0; i < letters.length; i += 10) {
    const entries = letters.slice(i, i + 10).map((b, j) => ({
      Id: `e${j}`,
      MessageBody: JSON.stringify(b),
      MessageAttributes: { kind: { DataType: "String", StringValue: b.kind } },
      ...(b.group ? { MessageGroupId: b.group, MessageDeduplicationId: `seed-${b.seq}` } : {}),
    }));
    const out = await clients.sqs.send(new SendMessageBatchCommand({ QueueUrl: dlqUrl, Entries: entries }));
    expect(out.Failed ?? []).toEqual([]);
  }
}

/** Every dead letter whose `kind` attribute is "rare", and no other. */
const rareOnly = { all: true as const, filter: { policy: '{"kind":["rare"]}', scope: "MessageAttributes" as const } };

describe("redrive with Fanout's engine (moto has no StartMessageMoveTask)", () => {
  it(
    "moves 300 dead letters of 5 FIFO groups back to the source: order within each group, attributes and trace header kept",
    { timeout: 240_000 },
    async () => {
      const q = await pipeline(true);
      await seed(q.dlqUrl, 300, true);

      const started = await startReplay(operator, q.dlqName, { all: true });
      expect(started.engine).toBe("fanout");
      expect(started.target).toBe(q.sourceName);
      const job = await settled(started.id);
      expect(job).toMatchObject({ status: "completed", moved: 300, failed: 0, resent: 0 });
      expect(await depth(q.dlqUrl)).toBe(0);

      const back = await drain(q.sourceUrl);
      expect(back).toHaveLength(300);
      for (const group of groups) {
        const seqs = back.filter((m) => m.Attributes!.MessageGroupId === group).map(seqOf);
        expect(seqs).toHaveLength(60);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      }
      for (const m of back) {
        const seq = seqOf(m);
        expect(m.MessageAttributes!.eventType!.StringValue).toBe(seq % 2 ? "order.paid" : "order.placed");
        expect(m.MessageAttributes!.amount).toMatchObject({ DataType: "Number", StringValue: String(seq + 0.5) });
        expect([...m.MessageAttributes!.blob!.BinaryValue!]).toEqual([seq % 256, 1, 2]);
        expect(m.MessageAttributes![ORIGINAL_ID_ATTRIBUTE]!.StringValue).toMatch(/^[0-9a-f-]{36}$/);
        expect(m.Attributes!.AWSTraceHeader).toBe(`Root=1-00000000-${String(seq).padStart(24, "0")};Sampled=1`);
        // A replay's deduplication id is the job's, not the original's, so SQS does not drop it as a repeat.
        expect(m.Attributes!.MessageDeduplicationId).not.toBe(`seed-${seq}`);
      }
      expect(
        (await listAudit(await getStore(), { action: "dead-letters.redrive.finish" })).some(
          (e) => (e.after as { jobId: string }).jobId === started.id,
        ),
      ).toBe(true);
    },
  );

  it(
    "replays only the dead letters a filter policy selects, leaving the rest in the DLQ",
    { timeout: 120_000 },
    async () => {
      const q = await pipeline(false);
      await seed(q.dlqUrl, 40, false);
      const job = await replayed(q.dlqName, {
        all: true,
        filter: { policy: '{"eventType":["order.paid"]}', scope: "MessageAttributes" },
      });
      expect(job).toMatchObject({ status: "completed", moved: 20, failed: 0 });
      const back = await drain(q.sourceUrl);
      expect(back.map(seqOf).every((s) => s % 2 === 1)).toBe(true);
      const left = await drain(q.dlqUrl);
      expect(left.map(seqOf).every((s) => s % 2 === 0)).toBe(true);
      expect(left).toHaveLength(20);
    },
  );

  it(
    "standard DLQ: 25 letters the filter does not select ahead of 5 it does: a full sweep moves all 5 and leaves the 25, counted as skipped",
    { timeout: 120_000 },
    async () => {
      const q = await pipeline(false);
      await sendKinds(
        q.dlqUrl,
        Array.from({ length: 25 }, (_, seq) => ({ seq, kind: "other" })),
      );
      await sendKinds(
        q.dlqUrl,
        Array.from({ length: 5 }, (_, i) => ({ seq: 25 + i, kind: "rare" })),
      );
      const job = await replayed(q.dlqName, rareOnly);
      expect(job).toMatchObject({ status: "completed", moved: 5, failed: 0, skipped: 25, examined: 30, remaining: 0 });
      expect((await drain(q.sourceUrl)).map(seqOf).sort((a, b) => a - b)).toEqual([25, 26, 27, 28, 29]);
      // The letters it left are visible again at once, not after the job's lease.
      expect(await visibleNow(q.dlqUrl)).toBe(25);
    },
  );

  it(
    "FIFO DLQ: 12 selected letters among others in 4 groups: all reachable ones move, and the job says which group it could not reach",
    { timeout: 180_000 },
    async () => {
      const q = await pipeline(true);
      // Per group, in order: "s" is selected by the filter, "n" is not. Group g3 opens with 10 that
      // are not: SQS returns at most 10 of a group per receive, so its 2 selected ones stay out of reach.
      const layout: Record<string, string> = { g0: "nsnsssn", g1: "snnsns", g2: "nnnnnssns", g3: "nnnnnnnnnnss" };
      const order: { group: string; kind: string; seq: number }[] = [];
      const cursors = Object.fromEntries(Object.keys(layout).map((g) => [g, 0]));
      // Interleaved across groups, as dead letters of several groups arrive.
      for (let more = true, seq = 0; more;) {
        more = false;
        for (const [group, kinds] of Object.entries(layout)) {
          const i = cursors[group]!++;
          if (i >= kinds.length) continue;
          more = true;
          order.push({ group, kind: kinds[i] === "s" ? "rare" : "other", seq: seq++ });
        }
      }
      await sendKinds(q.dlqUrl, order);
      const selected = order.filter((b) => b.kind === "rare");
      expect(selected).toHaveLength(12);

      const job = await replayed(q.dlqName, rareOnly);
      const reachable = selected.filter((b) => b.group !== "g3");
      expect(job).toMatchObject({ status: "incomplete", moved: reachable.length, failed: 0, remaining: 2 });
      expect(job.note).toContain("2 dead letter(s) in message group g3 could not be reached");
      const back = (await drain(q.sourceUrl)).map((m) => JSON.parse(m.Body!) as { seq: number; group: string });
      expect(back.map((b) => b.seq).sort((a, b) => a - b)).toEqual(reachable.map((b) => b.seq));
      for (const group of ["g0", "g1", "g2"]) {
        const seqs = back.filter((b) => b.group === group).map((b) => b.seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      }
      // Nothing left behind is hidden: the 2 out of reach and every letter not selected are in the DLQ.
      const left = (await drain(q.dlqUrl)).map(
        (m) => JSON.parse(m.Body!) as { seq: number; kind: string; group: string },
      );
      expect(left).toHaveLength(order.length - reachable.length);
      expect(left.filter((b) => b.kind === "rare").map((b) => b.group)).toEqual(["g3", "g3"]);
    },
  );

  it(
    "FIFO DLQ, chosen ids: one behind 10 letters of its group that are not chosen is reported unreachable, not missing",
    { timeout: 120_000 },
    async () => {
      const q = await pipeline(true);
      const entries = (group: string, from: number, n: number) =>
        Array.from({ length: n }, (_, i) => ({
          Id: `${group}${from + i}`,
          MessageBody: JSON.stringify({ letter: `${group}-${from + i}` }),
          MessageGroupId: group,
          MessageDeduplicationId: `${group}-${from + i}`,
        }));
      await clients.sqs.send(new SendMessageBatchCommand({ QueueUrl: q.dlqUrl, Entries: entries("a", 0, 10) }));
      await clients.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: q.dlqUrl, Entries: [...entries("a", 10, 1), ...entries("b", 0, 2)] }),
      );
      // Peek to learn the ids: a reader's lease, released again.
      const lease = await openLease(operator, q.dlqName, { max: 50, confirmSourceRead: false });
      // JSON bodies: with masking rules in force, a body that is not JSON is withheld from readers.
      const idOf = (letter: string) => lease.messages.find((m) => m.body === JSON.stringify({ letter }))?.messageId;
      await releaseLease(operator, q.dlqName);
      const b1 = idOf("b-1")!;
      expect(b1).toBeDefined();
      // "a-10" sits behind a-0…a-9: the reader never saw it either. An id nobody knows stands for it.
      const hidden = "00000000-0000-4000-8000-000000000000";
      const job = await replayed(q.dlqName, { messageIds: [b1, hidden] });
      expect(job).toMatchObject({ status: "incomplete", moved: 1, failed: 1 });
      const items = await listRedriveItems(await getStore(), job.id);
      expect(items.find((i) => i.messageId === hidden)?.error).toMatch(
        /^not reached: 1 dead letter\(s\) in message group a could not be reached/,
      );
    },
  );

  it(
    "replays a poison message with the button's request; it returns to the DLQ after maxReceiveCount failed receives",
    { timeout: 60_000 },
    async () => {
      const q = await pipeline(false, 2);
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: q.sourceUrl, MessageBody: '{"poison":true}' }));
      // A consumer that always fails: receives without deleting; the third receive moves it (moto and AWS).
      const failingReceive = () =>
        clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: q.sourceUrl, VisibilityTimeout: 0 }));
      for (let i = 0; i < 3; i++) await failingReceive();
      expect(await depth(q.dlqUrl)).toBe(1);

      const lease = await openLease(operator, q.dlqName, { max: 10, confirmSourceRead: false });
      expect(lease.messages).toHaveLength(1);
      const original = lease.messages[0]!;
      const job = await replayed(q.dlqName, { messageIds: [original.messageId] });
      expect(job).toMatchObject({ status: "completed", moved: 1, failed: 0, selection: "ids" });
      expect(await depth(q.dlqUrl)).toBe(0);
      expect(await depth(q.sourceUrl)).toBe(1);

      for (let i = 0; i < 3; i++) await failingReceive();
      const [again] = await drain(q.dlqUrl);
      expect(again!.Body).toBe('{"poison":true}');
      expect(again!.MessageAttributes![ORIGINAL_ID_ATTRIBUTE]!.StringValue).toBe(original.messageId);
    },
  );

  it(
    "pauses, resumes and cancels a paced job; a cancelled job leaves the rest in the DLQ",
    { timeout: 120_000 },
    async () => {
      const q = await pipeline(false);
      await seed(q.dlqUrl, 60, false);
      const started = await startReplay(operator, q.dlqName, { all: true, ratePerSecond: 5 });
      await new Promise((r) => setTimeout(r, 1500));
      const paused = await actOnJob(operator, started.id, "pause");
      expect(paused.status).toBe("paused");
      expect(paused.actions).toEqual(["resume", "cancel"]);
      await new Promise((r) => setTimeout(r, 1000));
      const movedWhilePaused = (await getJob(operator, started.id)).moved;
      await new Promise((r) => setTimeout(r, 1500));
      expect((await getJob(operator, started.id)).moved).toBe(movedWhilePaused);
      expect(movedWhilePaused).toBeGreaterThan(0);
      expect(movedWhilePaused).toBeLessThan(60);

      await actOnJob(operator, started.id, "resume");
      await new Promise((r) => setTimeout(r, 1500));
      const cancelled = await actOnJob(operator, started.id, "cancel");
      expect(cancelled.status).toBe("cancelled");
      await expect(actOnJob(operator, started.id, "resume")).rejects.toMatchObject({ code: "conflict" });
      await new Promise((r) => setTimeout(r, 1500));
      const final = await getJob(operator, started.id);
      expect((await depth(q.sourceUrl)) + (await depth(q.dlqUrl))).toBe(60);
      expect(await depth(q.sourceUrl)).toBe(final.moved);
    },
  );

  it("refuses bad requests before any message moves", async () => {
    const q = await pipeline(false);
    await expect(startReplay(operator, q.sourceName, { all: true })).rejects.toMatchObject({
      code: "validation",
      issues: [{ path: "name" }],
    });
    await expect(startReplay(operator, "no-such-queue", { all: true })).rejects.toMatchObject({ code: "not_found" });
    await expect(startReplay(operator, q.dlqName, { all: true, target: q.dlqName })).rejects.toMatchObject({
      issues: [{ path: "target" }],
    });
    await expect(
      startReplay(operator, q.dlqName, {
        all: true,
        filter: { policy: '{"a":[{"prefix":1}]}', scope: "MessageAttributes" },
      }),
    ).rejects.toMatchObject({
      issues: [{ path: expect.stringMatching(/^filter\.policy/) }],
    });
    const key = randomUUID();
    const first = await startReplay(operator, q.dlqName, { all: true, clientKey: key });
    const retried = await startReplay(operator, q.dlqName, { all: true, clientKey: key });
    expect(retried.id).toBe(first.id);
    await settled(first.id);
  });
});

describe("reading dead letters through a lease", () => {
  it(
    "masks configured fields, reveals them to an operator with an audited hash, and releases on close",
    { timeout: 60_000 },
    async () => {
      const q = await pipeline(false);
      const secret = `someone-${randomUUID()}@example.com`;
      await clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: q.dlqUrl,
          MessageBody: JSON.stringify({ customer: { email: secret, tier: "gold" } }),
        }),
      );

      const lease = await openLease(operator, q.dlqName, { max: 50, confirmSourceRead: false });
      expect(lease.messages).toHaveLength(1);
      expect(JSON.stringify(lease)).not.toContain(secret);
      const m = lease.messages[0]!;
      expect(m.masked).toEqual(["payload.customer.email"]);
      expect(await depth(q.dlqUrl)).toBe(1);

      expect((await revealField(operator, q.dlqName, m.messageId, "payload.customer.email")).value).toBe(secret);
      const [entry] = (await listAudit(await getStore(), { action: "dead-letters.reveal" })).filter(
        (e) => (e.after as { messageId: string }).messageId === m.messageId,
      );
      expect(JSON.stringify(entry)).not.toContain(secret);
      expect(entry!.after).toMatchObject({
        path: "payload.customer.email",
        fingerprint: expect.stringMatching(/^hmac-sha256:[0-9a-f]{16}$/),
      });

      const { released } = await releaseLease(operator, q.dlqName);
      expect(released).toBe(1);
      const { Messages = [] } = await clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: q.dlqUrl, VisibilityTimeout: 0 }),
      );
      expect(Messages).toHaveLength(1);
    },
  );

  it(
    "asks for confirmation before reading a source queue, and deletes only leased dead letters",
    { timeout: 60_000 },
    async () => {
      const q = await pipeline(false);
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: q.sourceUrl, MessageBody: "in the source" }));
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: q.dlqUrl, MessageBody: "in the DLQ" }));
      const refused = await openLease(operator, q.sourceName, { max: 10, confirmSourceRead: false }).catch(
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(AppError);
      expect(refused).toMatchObject({ code: "confirmation_required", status: 428, details: { maxReceiveCount: 5 } });

      const lease = await openLease(operator, q.sourceName, { max: 10, confirmSourceRead: true });
      expect(lease.notes.join(" ")).toMatch(/maxReceiveCount \(5\)/);
      // Deleting is for dead letters: a source queue's messages are live work.
      await expect(deleteLeased(operator, q.sourceName, [lease.messages[0]!.messageId])).rejects.toMatchObject({
        code: "validation",
        issues: [{ path: "name" }],
      });
      await releaseLease(operator, q.sourceName);
      expect(await depth(q.sourceUrl)).toBe(1);

      const id = (await openLease(operator, q.dlqName, { max: 10, confirmSourceRead: false })).messages[0]!.messageId;
      const result = await deleteLeased(operator, q.dlqName, [id, "not-leased"]);
      expect(result).toEqual({ deleted: [id], notLeased: ["not-leased"] });
      expect(await depth(q.dlqUrl)).toBe(0);
    },
  );
});

/** Runs the worker script; resolves with its exit code or the signal that killed it. */
function runWorker(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "test/redrive-worker.ts", ...args],
      { env: process.env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("exit", (code, signal) => resolve({ code, signal, output }));
  });
}

describe("a job killed halfway and restarted", () => {
  it.each([
    // Killed before the store knew SQS took batch 5: the restart sends it again. On FIFO the same
    // deduplication id makes SQS drop the copies (the restart is well inside the 5-minute
    // deduplication interval, so they are no possible duplicates); on a standard queue they are
    // duplicates, reported as resent.
    { fifo: true, point: "afterSendRequest", resent: 0, duplicates: 0 },
    { fifo: true, point: "afterSendRecorded", resent: 0, duplicates: 0 },
    { fifo: false, point: "afterSendRequest", resent: 10, duplicates: 10 },
    { fifo: false, point: "afterSendRecorded", resent: 0, duplicates: 0 },
  ])(
    "fifo=$fifo, killed at $point of batch 5: nothing lost; $duplicates duplicates, all reported",
    { timeout: 180_000 },
    async ({ fifo, point, resent, duplicates }) => {
      const q = await pipeline(fifo);
      await seed(q.dlqUrl, 100, fifo);
      const jobId = randomUUID();
      const sourceArn = await arnOf(q.sourceUrl);
      await createRedriveJob(await getStore(), {
        id: jobId,
        scope: scopeOfContext(operator),
        actor: "otto",
        role: "operator",
        requestId: randomUUID(),
        dlq: { name: q.dlqName, url: q.dlqUrl, arn: await arnOf(q.dlqUrl), fifo },
        target: { name: q.sourceName, url: q.sourceUrl, arn: sourceArn, fifo },
        selection: { kind: "all" },
        // Short, so the restarted run sees the killed run's messages again soon.
        leaseSeconds: 3,
        engine: "fanout",
      });

      const killed = await runWorker([jobId, point, "5"]);
      expect(killed.signal).toBe("SIGKILL");
      const halfway = (await getRedriveJob(await getStore(), jobId))!;
      expect(halfway.status).toBe("running");
      expect(halfway.moved).toBe(40);

      const restarted = await runWorker([jobId]);
      expect(restarted.code, restarted.output).toBe(0);
      const job = (await getRedriveJob(await getStore(), jobId))!;
      expect(job).toMatchObject({ status: "completed", moved: 100, failed: 0, resent });

      expect(await depth(q.dlqUrl)).toBe(0);
      const back = (await drain(q.sourceUrl)).map(seqOf);
      expect(new Set(back).size).toBe(100);
      expect(back.length - 100).toBe(duplicates);
      if (fifo) {
        for (const group of groups) {
          const seqs = back.filter((s) => groups[s % 5] === group);
          expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
        }
      }
    },
  );
});

/** A job made straight in the store, as a console that stopped would leave it. */
async function storedJob(q: Awaited<ReturnType<typeof pipeline>>, fifo: boolean, leaseSeconds = 3) {
  const id = randomUUID();
  await createRedriveJob(await getStore(), {
    id,
    scope: scopeOfContext(operator),
    actor: "otto",
    role: "operator",
    requestId: randomUUID(),
    dlq: { name: q.dlqName, url: q.dlqUrl, arn: await arnOf(q.dlqUrl), fifo },
    target: { name: q.sourceName, url: q.sourceUrl, arn: await arnOf(q.sourceUrl), fifo },
    selection: { kind: "all" },
    leaseSeconds,
    engine: "fanout",
  });
  return id;
}

describe("who runs a job", () => {
  it("a runner whose claim another runner took over sends and deletes nothing more", { timeout: 120_000 }, async () => {
    const q = await pipeline(false);
    await seed(q.dlqUrl, 40, false);
    const jobId = await storedJob(q, false);
    let firstRunnerBatches = 0;
    let reachedBatch2!: () => void;
    const atBatch2 = new Promise<void>((resolve) => (reachedBatch2 = resolve));
    let carryOn!: () => void;
    const takenOver = new Promise<void>((resolve) => (carryOn = resolve));
    const first = runRedriveJob(operator, jobId, {
      owner: "console-a/1/a",
      hooks: {
        afterSendRequest: async (batch) => {
          firstRunnerBatches = batch;
          if (batch === 2) {
            reachedBatch2();
            await takenOver;
          }
        },
      },
    });
    await atBatch2;
    // The first runner stalls past the 60 s a claim lasts without a heartbeat; a second console takes the job.
    await (
      await getStore()
    )
      .updateTable("redrive_jobs")
      .set({ heartbeat_at: Date.now() - 61_000 })
      .where("id", "=", jobId)
      .execute();
    const second = runRedriveJob(operator, jobId, { owner: "console-b/2/b" });
    // The claim is a store write of its own: the first runner carries on only once it is taken.
    await expect.poll(async () => (await getRedriveJob(await getStore(), jobId))!.owner).toBe("console-b/2/b");
    carryOn();
    expect(await first).toBeUndefined();
    expect(firstRunnerBatches).toBe(2);
    const job = (await second)!;
    expect(job).toMatchObject({ status: "completed", moved: 40, failed: 0 });
    expect(firstRunnerBatches).toBe(2);
    expect(await depth(q.dlqUrl)).toBe(0);
    // Batch 2 was sent by the first runner and, not deleted by it, moved by the second: each copy once, or counted as resent.
    expect(await depth(q.sourceUrl)).toBe(40 + job.resent);
  });

  it("reading jobs neither claims nor resumes one", async () => {
    const q = await pipeline(false);
    const jobId = await storedJob(q, false);
    expect((await listJobs(operator, q.dlqName)).map((j) => j.id)).toContain(jobId);
    expect((await getJob(operator, jobId)).status).toBe("running");
    expect((await getRedriveJob(await getStore(), jobId))!.owner).toBeUndefined();
    await updateRedriveJob(await getStore(), jobId, { status: "cancelled" });
  });

  it("a job resumed at once after a pause still runs to the end", { timeout: 120_000 }, async () => {
    const q = await pipeline(false);
    await seed(q.dlqUrl, 30, false);
    const started = await startReplay(operator, q.dlqName, { all: true, ratePerSecond: 20 });
    await new Promise((r) => setTimeout(r, 700));
    await actOnJob(operator, started.id, "pause");
    await actOnJob(operator, started.id, "resume");
    const job = await settled(started.id);
    expect(job).toMatchObject({ status: "completed", moved: 30, failed: 0 });
    expect(await depth(q.dlqUrl)).toBe(0);
  });
});

describe("each letter back to its own source", () => {
  it(
    "a DLQ of two source queues: SQS marks each letter with its source, and a redrive without a target sends each back there",
    { timeout: 120_000 },
    async () => {
      const name = `own-${randomUUID().slice(0, 8)}`;
      const dlqUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl!;
      const redrive = JSON.stringify({ deadLetterTargetArn: await arnOf(dlqUrl), maxReceiveCount: 1 });
      const sources = await Promise.all(
        ["billing", "shipping"].map(
          async (s) =>
            (
              await clients.sqs.send(
                new CreateQueueCommand({ QueueName: `${name}-${s}`, Attributes: { RedrivePolicy: redrive } }),
              )
            ).QueueUrl!,
        ),
      );
      for (const [i, url] of sources.entries()) {
        for (let n = 0; n < 3; n++)
          await clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `${i}-${n}` }));
        // A consumer that fails: one receive, then the next one moves each message to the DLQ.
        await clients.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
        );
        await clients.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
        );
      }
      const { Messages = [] } = await clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlqUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 0,
          MessageSystemAttributeNames: ["DeadLetterQueueSourceArn"],
        }),
      );
      expect(Messages).toHaveLength(6);
      const sourceArns = await Promise.all(sources.map(arnOf));
      for (const m of Messages) expect(m.Attributes!.DeadLetterQueueSourceArn).toBe(sourceArns[Number(m.Body![0])]);
      // A letter put straight into the DLQ names no source: it cannot be placed and stays, failed with the reason.
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: "no source" }));

      const started = await startReplay(operator, `${name}-dlq`, { all: true });
      expect(started).toMatchObject({ target: null, eachToOwnSource: [`${name}-billing`, `${name}-shipping`] });
      const job = await settled(started.id);
      expect(job).toMatchObject({ status: "completed", moved: 6, failed: 1 });
      expect((await drain(sources[0]!)).map((m) => m.Body).sort()).toEqual(["0-0", "0-1", "0-2"]);
      expect((await drain(sources[1]!)).map((m) => m.Body).sort()).toEqual(["1-0", "1-1", "1-2"]);
      const [left] = await drain(dlqUrl);
      expect(left!.Body).toBe("no source");
      const failed = (await listRedriveItems(await getStore(), job.id)).find((i) => i.state === "failed");
      expect(failed?.error).toMatch(/no DeadLetterQueueSourceArn/);
    },
  );
});
