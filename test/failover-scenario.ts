import type { Writable } from "node:stream";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { RunningConsole } from "../scripts/lib/console";
import { deadLetterPair, drain } from "./queues";
import { signedIn, startReplica, type Client } from "./replicas";

/**
 * Team mode's promise, tried for real: two console replicas on one PostgreSQL; a redrive of
 * `messages` dead letters started through replica A; A killed with SIGKILL mid-job; replica B
 * finishes it from the store's record. Used by the end-to-end test and `npm run -s bench:failover`.
 */
export interface FailoverOptions {
  awsEndpoint: string;
  postgresUrl: string;
  messages: number;
  fifo: boolean;
  /**
   * The replicas' names (FANOUT_REPLICA_NAME): different ones (the default) stand for two machines,
   * where B can only tell A is gone when A's claim goes stale; one name for both, one machine, where
   * B sees at once that A's process is gone.
   */
  sameMachine?: boolean;
  /** A is killed once the job has moved this many letters (default: a third of them). */
  killAfterMoved?: number;
  logTo?: Writable;
}

export interface FailoverResult {
  messages: number;
  /** Letters that never reached the source queue (left in the DLQ, or gone). */
  lost: number;
  /** Extra copies in the source queue (standard queues may get one after a crash; FIFO must not). */
  duplicated: number;
  /** FIFO: letters received out of their group's order (a standard queue keeps no order). */
  outOfOrder?: number;
  /** From A's death to B's claim on the job. */
  takeoverSeconds: number;
  /**
   * From A's death to B's first letter moved: on FIFO later than the claim, as the letters A had
   * received stay invisible (and block their groups) until their visibility timeout, the job's lease.
   */
  firstProgressSeconds: number;
  movedWhenKilled: number;
  status: string;
  /** The replay's audit entry (written through A) and the job's end (written by B), both in B's trail. */
  auditedByBoth: boolean;
  backend: "postgresql";
}

export async function runFailoverScenario(o: FailoverOptions): Promise<FailoverResult> {
  const sqs = new SQSClient({
    endpoint: o.awsEndpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  });
  const pair = await deadLetterPair(sqs, "failover", { fifo: o.fifo });
  await fillDlq(sqs, pair.dlqUrl, o.messages, o.fifo);

  const replica = (name: string) =>
    startReplica({
      awsEndpoint: o.awsEndpoint,
      postgresUrl: o.postgresUrl,
      replicaName: o.sameMachine ? "failover-machine" : `failover-${name}`,
      logTo: o.logTo,
    });
  const a = await replica("a");
  let b: RunningConsole | undefined;
  try {
    b = await replica("b");
    const onA = await signedIn(a.url);
    // A filter makes it Fanout's own engine (never SQS's move task, which SQS itself would finish).
    const started = await onA.post(`/api/queues/${encodeURIComponent(pair.dlq)}/replay`, {
      all: true,
      filter: { policy: JSON.stringify({ seq: [{ exists: true }] }), scope: "MessageBody" },
    });
    const { jobId } = started as { jobId: string };
    const killAfter = o.killAfterMoved ?? Math.floor(o.messages / 3);
    let movedWhenKilled = 0;
    let runnerOfA: string | null = null;
    for (;;) {
      const job = await jobOn(onA, jobId);
      if (job.moved >= killAfter || job.status !== "running") {
        movedWhenKilled = job.moved;
        runnerOfA = job.runner;
        break;
      }
      await sleep(100);
    }
    process.kill(-a.process.child.pid!, "SIGKILL");
    const killedAt = Date.now();
    await a.process.exited;

    const onB = await signedIn(b.url);
    const since = () => Number(((Date.now() - killedAt) / 1000).toFixed(1));
    let takeoverSeconds = Number.NaN;
    let firstProgressSeconds = Number.NaN;
    let job = await jobOn(onB, jobId);
    const deadline = Date.now() + 10 * 60_000;
    while (job.status === "running" && Date.now() < deadline) {
      await sleep(250);
      job = await jobOn(onB, jobId);
      if (Number.isNaN(takeoverSeconds) && job.runner && job.runner !== runnerOfA) takeoverSeconds = since();
      if (Number.isNaN(firstProgressSeconds) && job.moved > movedWhenKilled) firstProgressSeconds = since();
    }
    const audit = (await onB.get(
      `/api/audit?action=dead-letters.replay&action=dead-letters.redrive.finish&limit=50`,
    )) as {
      entries: { action: string; after: { jobId?: string } | null }[];
    };
    const ofJob = audit.entries.filter((e) => e.after?.jobId === jobId).map((e) => e.action);
    const { outOfOrder, ...counted } = await countDelivered(sqs, pair.sourceUrl, o.messages);
    return {
      messages: o.messages,
      ...counted,
      ...(o.fifo ? { outOfOrder } : {}),
      takeoverSeconds,
      firstProgressSeconds,
      movedWhenKilled,
      status: job.status,
      auditedByBoth: ofJob.includes("dead-letters.replay") && ofJob.includes("dead-letters.redrive.finish"),
      backend: "postgresql",
    };
  } finally {
    await b?.stop();
    await a.stop().catch(() => undefined);
  }
}

/** `n` letters `{ seq, group, index }`; FIFO ones in ten groups, each in order. */
async function fillDlq(sqs: SQSClient, url: string, n: number, fifo: boolean) {
  for (let start = 0; start < n; start += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: Array.from({ length: Math.min(10, n - start) }, (_, i) => {
          const seq = start + i;
          const group = `g${seq % 10}`;
          return {
            Id: `e${i}`,
            MessageBody: JSON.stringify({ seq, group, index: Math.floor(seq / 10) }),
            ...(fifo ? { MessageGroupId: group, MessageDeduplicationId: `d${seq}` } : {}),
          };
        }),
      }),
    );
  }
}

/** Receives everything in the source queue: which letters arrived, how often, and (per group) in which order. */
async function countDelivered(sqs: SQSClient, url: string, messages: number) {
  const seen = new Map<number, number>();
  const lastIndex = new Map<string, number>();
  let outOfOrder = 0;
  for (const m of await drain(sqs, url)) {
    const { seq, group, index } = JSON.parse(m.Body!) as { seq: number; group: string; index: number };
    seen.set(seq, (seen.get(seq) ?? 0) + 1);
    if ((lastIndex.get(group) ?? -1) > index) outOfOrder++;
    lastIndex.set(group, index);
  }
  let duplicated = 0;
  for (const copies of seen.values()) duplicated += copies - 1;
  return { lost: messages - seen.size, duplicated, outOfOrder };
}

interface JobView {
  status: string;
  moved: number;
  runner: string | null;
}

async function jobOn(client: Client, id: string): Promise<JobView> {
  return (await client.get(`/api/redrive-jobs/${id}`)) as JobView;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
