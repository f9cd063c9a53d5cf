import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { contextAs } from "../../test/context";
import type { FaultMode } from "../../test/fault-proxy";
import { throughFaultProxy } from "../../test/proxied-context";
import { deadLetterPair, drain } from "../../test/queues";

/**
 * The redrive engine under faults SQS can produce, simulated by a proxy between the console and
 * moto: entries of a SendMessageBatch failing on their own, and throttling.
 */

/** Acts through the proxy: every AWS call of this file goes through it. */
const through = throughFaultProxy((endpoint) => contextAs("otto", "operator", { endpoint }));

/** A DLQ of `n` letters (FIFO: in five groups) with its source queue, both of the given type; `padding` bytes make each letter bigger. */
async function setUp(n: number, fifo = false, padding = 0) {
  const sqs = through.context.aws.clients.sqs;
  // Letters over 256 KiB need queues that take them: SQS allows up to 1 MiB (MaximumMessageSize).
  const attributes: Record<string, string> = padding > 200_000 ? { MaximumMessageSize: "1048576" } : {};
  const { dlq, dlqUrl, sourceUrl } = await deadLetterPair(sqs, "rf", { fifo, attributes });
  const perBatch = padding > 200_000 ? 2 : 10;
  for (let start = 0; start < n; start += perBatch) {
    const entries = Array.from({ length: Math.min(perBatch, n - start) }, (_, i) => ({
      Id: `e${i}`,
      MessageBody: `letter ${start + i}${" ".repeat(padding)}`,
      ...(fifo ? { MessageGroupId: `g${(start + i) % 5}`, MessageDeduplicationId: `d${start + i}` } : {}),
    }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: dlqUrl, Entries: entries }));
  }
  /** Every body in a queue, drained; duplicates kept. */
  const all = async (url: string) => (await drain(sqs, url)).map((m) => m.Body!);
  const bodies = async (url: string) => (await all(url)).map((b) => b.trimEnd()).sort();
  return { dlqName: dlq, dlqUrl, sourceUrl, all, bodies };
}

/**
 * SendMessageBatch fails the entries `entryIds` on their own, `times` times: InternalError is
 * SQS's fault (SenderFault false, worth a retry), InvalidMessageContents the sender's.
 */
const failingEntries = (
  entryIds: string[],
  code: "InternalError" | "InvalidMessageContents",
  times: number,
): FaultMode => ({ mode: "fail-batch-entries", entryIds, code, senderFault: code !== "InternalError", times });

/**
 * Replays the whole DLQ `dlqName` under `fault` until the job ends, then lets every request pass again;
 * what the proxy counted meanwhile comes with the job.
 */
async function runUnder(dlqName: string, fault: FaultMode) {
  through.proxy.setFault(fault);
  const job = await runToEnd(dlqName);
  const counted = { faults: through.proxy.faultCounts, requests: through.proxy.requests };
  through.proxy.setFault({ mode: "pass" });
  return { job, ...counted };
}

async function runToEnd(dlqName: string) {
  const { startReplay, getJob } = await import("./redrive");
  // Starting reads the queues, and a read can fail past the SDK's retries: the start is retried
  // as a person would click again, with the same client key, so it can only ever start one job.
  const clientKey = randomUUID();
  let started: { id: string } | undefined;
  for (let attempt = 1; !started; attempt++) {
    try {
      started = await startReplay(through.context, dlqName, { all: true, clientKey });
    } catch (err) {
      if (attempt === 5) throw err;
    }
  }
  const { id } = started;
  for (let i = 0; i < 600; i++) {
    const job = await getJob(through.context, id);
    if (job.status !== "running") return job;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the job did not end");
}

describe("redrive under faults", () => {
  it(
    "resends the entries of a batch that failed on their own, and nothing is duplicated",
    { timeout: 60_000 },
    async () => {
      const q = await setUp(10);
      const { job } = await runUnder(q.dlqName, failingEntries(["m2", "m5"], "InternalError", 1));
      expect(job).toMatchObject({ status: "completed", moved: 10, failed: 0 });
      expect(await q.bodies(q.sourceUrl)).toEqual(Array.from({ length: 10 }, (_, i) => `letter ${i}`).sort());
      expect(await q.bodies(q.dlqUrl)).toEqual([]);
    },
  );

  it(
    "leaves an entry SQS refuses for good in the DLQ, counted as failed, and moves the rest",
    { timeout: 60_000 },
    async () => {
      const q = await setUp(10);
      const { job } = await runUnder(q.dlqName, failingEntries(["m3"], "InvalidMessageContents", 1));
      expect(job).toMatchObject({ status: "completed", moved: 9, failed: 1 });
      const left = await q.bodies(q.dlqUrl);
      expect(left).toHaveLength(1);
      expect(await q.bodies(q.sourceUrl)).toHaveLength(9);
    },
  );

  it(
    "FIFO: a chunk that fails stops the job, and the letters whose copies SQS confirmed are deleted from the DLQ first",
    { timeout: 60_000 },
    async () => {
      // 400 kB letters: a batch of 10 goes in chunks of 2 (SendMessageBatch takes 1 MiB in all).
      const q = await setUp(10, true, 400_000);
      // The third chunk (m4, m5) loses m4 for good; chunks 1 and 2 and m5 are confirmed.
      const { job } = await runUnder(q.dlqName, failingEntries(["m4"], "InvalidMessageContents", 3));
      expect(job).toMatchObject({ status: "failed", moved: 5, failed: 1 });
      const { queueDepth } = await import("../aws/sqs");
      const dlq = await queueDepth(q.dlqUrl, through.context.aws.clients);
      // Five letters are left, none hidden: the job released what it had received and not sent.
      expect(dlq).toEqual({ visible: 5, inFlight: 0, delayed: 0 });
      const moved = await q.bodies(q.sourceUrl);
      const left = await q.bodies(q.dlqUrl);
      expect(moved).toHaveLength(5);
      // Nothing moved is left in the DLQ to be sent again by the next job.
      expect(left.filter((b) => moved.includes(b))).toEqual([]);
      expect(left).toHaveLength(5);
    },
  );

  it("backs off when SQS throttles and still moves everything", { timeout: 90_000 }, async () => {
    const q = await setUp(20);
    // Four throttled receives: more than the SDK's own three attempts, so the engine's backoff runs.
    const { job } = await runUnder(q.dlqName, {
      mode: "error",
      status: 400,
      code: "ThrottlingException",
      message: "Rate exceeded",
      operation: "ReceiveMessage",
      times: 4,
    });
    expect(job).toMatchObject({ status: "completed", moved: 20, failed: 0 });
    expect(await q.bodies(q.sourceUrl)).toHaveLength(20);
  });
});

describe("redrive under 20 % random faults: throttling, 5xx, slow answers, dropped connections and lost answers", () => {
  // 20 % of requests fail one way or another. Answers are lost only for sends: a lost receive
  // would hide its messages for the job's 60-second lease and only make the test slow.
  const chaos: FaultMode = {
    mode: "random",
    rates: { throttle: 0.05, serverError: 0.05, slow: 0.02, drop: 0.03, lostResponse: 0.05 },
    slowMs: 1500,
    lostResponseOn: ["SendMessageBatch"],
  };

  it(
    "standard: a send whose answer is lost is carried out twice, and the job reports it",
    { timeout: 60_000 },
    async () => {
      const q = await setUp(20);
      // The SDK repeats a request whose answer never came; SQS had already enqueued the first one.
      const { job } = await runUnder(q.dlqName, { mode: "lose-answer", operation: "SendMessageBatch", times: 1 });
      const moved = await q.all(q.sourceUrl);
      expect(new Set(moved).size).toBe(20);
      const duplicates = moved.length - 20;
      expect(duplicates).toBe(10);
      expect(job).toMatchObject({ status: "completed", moved: 20, failed: 0 });
      expect(job.resent).toBeGreaterThanOrEqual(duplicates);
    },
  );

  for (const fifo of [true, false]) {
    it(
      `${fifo ? "FIFO" : "standard"}: nothing lost${fifo ? ", nothing duplicated" : "; duplicates only from lost answers, and reported"}`,
      { timeout: 240_000 },
      async () => {
        const n = 100;
        const q = await setUp(n, fifo);
        const { job, faults, requests } = await runUnder(q.dlqName, { ...chaos, seed: fifo ? 7 : 13 } as FaultMode);
        const moved = await q.all(q.sourceUrl);
        const left = await q.all(q.dlqUrl);
        const distinct = new Set(moved);
        const duplicates = moved.length - distinct.size;
        console.log(
          JSON.stringify({
            queue: fifo ? "fifo" : "standard",
            requests,
            faults,
            job: { status: job.status, moved: job.moved, failed: job.failed, resent: job.resent },
            delivered: moved.length,
            distinct: distinct.size,
            duplicates,
            leftInDlq: left.length,
          }),
        );
        expect(Object.values(faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
        // Nothing lost: every letter is in the source queue or still in the DLQ, counted as failed.
        expect(new Set([...distinct, ...left])).toEqual(new Set(Array.from({ length: n }, (_, i) => `letter ${i}`)));
        expect(left).toHaveLength(job.failed);
        expect(job.status).toBe("completed");
        if (fifo) expect(duplicates).toBe(0);
        // On a standard queue a copy whose answer was lost is sent again: every duplicate is one of the resends the job reports.
        else {
          expect(duplicates).toBeLessThanOrEqual(job.resent);
          if (faults.lostResponse > 0) expect(job.resent).toBeGreaterThan(0);
        }
      },
    );
  }
});
