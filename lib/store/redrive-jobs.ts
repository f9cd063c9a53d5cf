import "server-only";
import type { Selectable } from "kysely";
import type { Store } from "./db";
import type { RedriveJobsTable } from "./schema";
import type { FilterPolicyScope } from "../domain/filter-policy";
import type { RedriveEngine, RedriveStatus, ReplayEdits, ReplayTarget } from "../domain/replay";
import type { ReplayWarning } from "../domain/replay-warning";
import type { Scope } from "../domain/scope";
import { recordDlqRemoval } from "./dlq-removals";

/** Which dead letters a job moves: all of them, those matching an SNS filter policy, or chosen ones. */
export type RedriveSelection =
  { kind: "all" } | { kind: "filter"; policy: string; scope: FilterPolicyScope } | { kind: "ids"; ids: string[] };

export interface RedriveJob {
  id: string;
  /** The environment and region the job acts in: it runs, resumes and is listed only there. */
  scope: Scope;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  actor: string;
  role: string;
  requestId: string;
  /** The caller's idempotency key: a retried request finds the job it already started. */
  clientKey?: string;
  dlq: { name: string; url: string; arn: string; fifo: boolean };
  /** Absent: each message goes back to the source queue it names, one of `sources`. */
  target?: ReplayTarget;
  /** The DLQ's source queues when the job sends each letter back to its own source. */
  sources?: ReplayTarget[];
  selection: RedriveSelection;
  edits?: ReplayEdits;
  ratePerSecond?: number;
  /** How long the job hides a dead letter it has received: also how long a crashed run's messages stay hidden. */
  leaseSeconds: number;
  engine: RedriveEngine;
  status: RedriveStatus;
  moved: number;
  failed: number;
  /** Sends repeated after a crash whose first outcome was unknown: possible duplicates on a standard queue. */
  resent: number;
  /** Distinct dead letters this job has received from the DLQ. */
  examined: number;
  /** Of those, the ones it leaves in the DLQ because they are not its to move (not selected, or its own failed copies). */
  skipped: number;
  remaining?: number;
  taskHandle?: string;
  owner?: string;
  heartbeatAt?: number;
  /** The fencing token of the latest claim. */
  leaseToken: number;
  note?: string;
  error?: string;
  /** What the replay check said as the job started: its letters will likely fail again. */
  warning?: ReplayWarning;
}

/**
 * Per dead letter: `sending` before SendMessageBatch, `sent` once SQS confirmed the copy, `moved`
 * once the dead letter is deleted, `failed` when it stays in the DLQ for good.
 */
export type ItemState = "sending" | "sent" | "moved" | "failed";

export interface RedriveItem {
  messageId: string;
  state: ItemState;
  targetMessageId?: string;
  attempts: number;
  /** Epoch ms of the first `sending` record: how old a first send is when the letter is sent again. */
  firstSentAt?: number;
  error?: string;
}

const fromRow = (r: Selectable<RedriveJobsTable>): RedriveJob => ({
  id: r.id,
  scope: { environment: r.environment, region: r.region },
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  ...(r.finished_at ? { finishedAt: r.finished_at } : {}),
  actor: r.actor,
  role: r.role,
  requestId: r.request_id,
  ...(r.client_key ? { clientKey: r.client_key } : {}),
  dlq: { name: r.dlq_name, url: r.dlq_url, arn: r.dlq_arn, fifo: r.fifo === 1 },
  ...(r.target_json ? { target: JSON.parse(r.target_json) as ReplayTarget } : {}),
  ...(r.sources_json ? { sources: JSON.parse(r.sources_json) as ReplayTarget[] } : {}),
  selection: JSON.parse(r.selection_json) as RedriveSelection,
  ...(r.edits_json ? { edits: JSON.parse(r.edits_json) as ReplayEdits } : {}),
  ...(r.rate_per_second !== null ? { ratePerSecond: r.rate_per_second } : {}),
  leaseSeconds: r.lease_seconds,
  engine: r.engine as RedriveEngine,
  status: r.status as RedriveStatus,
  moved: r.moved,
  failed: r.failed,
  resent: r.resent,
  examined: r.examined,
  skipped: r.skipped,
  ...(r.remaining !== null ? { remaining: r.remaining } : {}),
  ...(r.task_handle ? { taskHandle: r.task_handle } : {}),
  ...(r.owner ? { owner: r.owner } : {}),
  ...(r.heartbeat_at !== null ? { heartbeatAt: r.heartbeat_at } : {}),
  leaseToken: r.lease_token,
  ...(r.note ? { note: r.note } : {}),
  ...(r.error ? { error: r.error } : {}),
  ...(r.warning_json ? { warning: JSON.parse(r.warning_json) as ReplayWarning } : {}),
});

export type NewRedriveJob = Pick<
  RedriveJob,
  | "id"
  | "scope"
  | "actor"
  | "role"
  | "requestId"
  | "clientKey"
  | "dlq"
  | "target"
  | "sources"
  | "selection"
  | "edits"
  | "ratePerSecond"
  | "leaseSeconds"
  | "engine"
  | "warning"
> & { remaining?: number };

export async function createRedriveJob(db: Store, job: NewRedriveJob): Promise<RedriveJob> {
  const now = new Date().toISOString();
  await db
    .insertInto("redrive_jobs")
    .values({
      id: job.id,
      environment: job.scope.environment,
      region: job.scope.region,
      created_at: now,
      updated_at: now,
      actor: job.actor,
      role: job.role,
      request_id: job.requestId,
      client_key: job.clientKey ?? null,
      dlq_name: job.dlq.name,
      dlq_url: job.dlq.url,
      dlq_arn: job.dlq.arn,
      fifo: job.dlq.fifo ? 1 : 0,
      target_json: job.target ? JSON.stringify(job.target) : null,
      sources_json: job.sources ? JSON.stringify(job.sources) : null,
      selection_json: JSON.stringify(job.selection),
      edits_json: job.edits ? JSON.stringify(job.edits) : null,
      rate_per_second: job.ratePerSecond ?? null,
      lease_seconds: job.leaseSeconds,
      engine: job.engine,
      status: "running",
      remaining: job.remaining ?? null,
      warning_json: job.warning ? JSON.stringify(job.warning) : null,
    })
    .execute();
  return (await getRedriveJob(db, job.id))!;
}

/** A job by its id, in whichever environment it acts (ids are unique across them). */
export async function getRedriveJob(db: Store, id: string): Promise<RedriveJob | undefined> {
  const row = await db.selectFrom("redrive_jobs").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** The job an actor started with this idempotency key in this environment and region. */
export async function findRedriveJobByClientKey(
  db: Store,
  scope: Scope,
  actor: string,
  clientKey: string,
): Promise<RedriveJob | undefined> {
  const row = await db
    .selectFrom("redrive_jobs")
    .selectAll()
    .where("environment", "=", scope.environment)
    .where("region", "=", scope.region)
    .where("actor", "=", actor)
    .where("client_key", "=", clientKey)
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/**
 * Newest first, of one environment and region (or of "all", for start-up's resume); optionally one
 * DLQ's, or only those in a status.
 */
export async function listRedriveJobs(
  db: Store,
  scope: Scope | "all",
  filter: { dlqName?: string; status?: RedriveStatus; limit?: number } = {},
): Promise<RedriveJob[]> {
  let query = db.selectFrom("redrive_jobs").selectAll();
  if (scope !== "all") query = query.where("environment", "=", scope.environment).where("region", "=", scope.region);
  if (filter.dlqName !== undefined) query = query.where("dlq_name", "=", filter.dlqName);
  if (filter.status !== undefined) query = query.where("status", "=", filter.status);
  const rows = await query
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(filter.limit ?? 50)
    .execute();
  return rows.map(fromRow);
}

export type RedriveJobPatch = Partial<
  Pick<
    RedriveJob,
    "status" | "remaining" | "taskHandle" | "note" | "error" | "finishedAt" | "moved" | "examined" | "skipped"
  >
>;

const patchColumns = {
  status: "status",
  remaining: "remaining",
  taskHandle: "task_handle",
  note: "note",
  error: "error",
  finishedAt: "finished_at",
  moved: "moved",
  examined: "examined",
  skipped: "skipped",
} as const satisfies Record<keyof RedriveJobPatch, keyof RedriveJobsTable>;

/** Applies a patch; `note: undefined` in the patch leaves the note alone, `note: ""` clears it. */
export async function updateRedriveJob(
  db: Store,
  id: string,
  patch: RedriveJobPatch,
  onlyIfStatus?: RedriveStatus,
): Promise<boolean> {
  const sets: Record<string, string | number | null> = { updated_at: new Date().toISOString() };
  for (const [key, column] of Object.entries(patchColumns) as [keyof RedriveJobPatch, string][]) {
    if (patch[key] === undefined) continue;
    sets[column] = patch[key] === "" ? null : patch[key];
  }
  return db.transaction().execute(async (trx) => {
    const before =
      patch.moved === undefined
        ? undefined
        : await trx
            .selectFrom("redrive_jobs")
            .select(["moved", "dlq_name", "engine", "environment", "region"])
            .where("id", "=", id)
            .executeTakeFirst();
    let update = trx.updateTable("redrive_jobs").set(sets).where("id", "=", id);
    if (onlyIfStatus) update = update.where("status", "=", onlyIfStatus);
    const changed = Number((await update.executeTakeFirst()).numUpdatedRows) === 1;
    // An SQS move task reports only a running total (ApproximateNumberOfMessagesMoved): its growth
    // between two polls is what left the DLQ since the last one, booked now for the SLA.
    if (changed && before?.engine === "sqs-move-task")
      await recordDlqRemoval(
        trx,
        { environment: before.environment, region: before.region },
        before.dlq_name,
        patch.moved! - before.moved,
        "move-task",
      );
    return changed;
  });
}

/** A job's claim as a runner holds it: who, and the fencing token this claim raised the job to. */
export interface JobClaim {
  owner: string;
  token: number;
}

/**
 * Takes a job for `owner` when nobody holds it or `takeOverFrom` is the holder seen gone: a
 * compare-and-set on the owner column that raises the job's fencing token, so that of runners
 * asking at once one wins, and a runner of an older claim is refused from then on. Undefined when
 * another runner holds the job (or it is no longer running).
 */
export async function claimRedriveJob(
  db: Store,
  id: string,
  owner: string,
  takeOverFrom: string | null,
  now = Date.now(),
): Promise<JobClaim | undefined> {
  const row = await db
    .updateTable("redrive_jobs")
    .set((eb) => ({ owner, heartbeat_at: now, lease_token: eb("lease_token", "+", 1) }))
    .where("id", "=", id)
    .where("status", "=", "running")
    .where((eb) =>
      eb.or([
        takeOverFrom === null ? eb("owner", "is", null) : eb("owner", "=", takeOverFrom),
        eb("owner", "=", owner),
      ]),
    )
    .returning("lease_token")
    .executeTakeFirst();
  return row ? { owner, token: row.lease_token } : undefined;
}

/**
 * Renews the claim's heartbeat and says whether it still holds the job: a compare-and-set on the
 * owner and the fencing token, so a runner whose job was taken over (by another replica, or after
 * it was seen gone) finds out here, before it sends or deletes anything more.
 */
export async function heartbeatRedriveJob(db: Store, id: string, claim: JobClaim, now = Date.now()): Promise<boolean> {
  const result = await db
    .updateTable("redrive_jobs")
    .set({ heartbeat_at: now })
    .where("id", "=", id)
    .where("owner", "=", claim.owner)
    .where("lease_token", "=", claim.token)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Lets go of the job (when the claim still holds it), so another runner can take it at once. */
export async function releaseRedriveJob(db: Store, id: string, claim: JobClaim): Promise<void> {
  await db
    .updateTable("redrive_jobs")
    .set({ owner: null })
    .where("id", "=", id)
    .where("owner", "=", claim.owner)
    .where("lease_token", "=", claim.token)
    .execute();
}

export async function listRedriveItems(db: Store, jobId: string): Promise<RedriveItem[]> {
  const rows = await db
    .selectFrom("redrive_items")
    .select(["message_id", "state", "target_message_id", "attempts", "first_sent_at", "error"])
    .where("job_id", "=", jobId)
    .execute();
  return rows.map((r) => ({
    messageId: r.message_id,
    state: r.state as ItemState,
    ...(r.target_message_id ? { targetMessageId: r.target_message_id } : {}),
    attempts: r.attempts,
    ...(r.first_sent_at !== null ? { firstSentAt: r.first_sent_at } : {}),
    ...(r.error ? { error: r.error } : {}),
  }));
}

/**
 * Records item states in one transaction and recounts the job's moved and failed from them, so
 * the counters can never disagree with the items. A `sending` record counts an attempt; `resent`
 * counts sends that may have been delivered twice: a send again after a crash, or a request the
 * SDK repeated after its answer was lost (standard queues).
 */
export async function recordRedriveItems(
  db: Store,
  jobId: string,
  updates: { messageId: string; state: ItemState; targetMessageId?: string; error?: string; resent?: boolean }[],
  now = Date.now(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const u of updates) {
      await trx
        .insertInto("redrive_items")
        .values({
          job_id: jobId,
          message_id: u.messageId,
          state: u.state,
          target_message_id: u.targetMessageId ?? null,
          attempts: u.state === "sending" ? 1 : 0,
          first_sent_at: u.state === "sending" ? now : null,
          error: u.error ?? null,
        })
        .onConflict((oc) =>
          oc.columns(["job_id", "message_id"]).doUpdateSet((eb) => ({
            state: eb.ref("excluded.state"),
            target_message_id: eb.fn.coalesce("excluded.target_message_id", "redrive_items.target_message_id"),
            attempts: eb("redrive_items.attempts", "+", eb.ref("excluded.attempts")),
            first_sent_at: eb.fn.coalesce("redrive_items.first_sent_at", "excluded.first_sent_at"),
            error: eb.ref("excluded.error"),
          })),
        )
        .execute();
    }
    const resent = updates.filter((u) => u.resent).length;
    const countIn = (state: ItemState) =>
      trx
        .selectFrom("redrive_items")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("job_id", "=", jobId)
        .where("state", "=", state);
    await trx
      .updateTable("redrive_jobs")
      .set((eb) => ({
        updated_at: new Date().toISOString(),
        resent: eb("resent", "+", resent),
        moved: countIn("moved"),
        failed: countIn("failed"),
      }))
      .where("id", "=", jobId)
      .execute();
  });
}
