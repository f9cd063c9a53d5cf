import "server-only";
import type Database from "better-sqlite3";
import type { FilterPolicyScope } from "../domain/filter-policy";
import type { RedriveEngine, RedriveStatus, ReplayEdits, ReplayTarget } from "../domain/replay";
import type { ReplayWarning } from "../domain/replay-warning";
import type { Scope } from "../domain/scope";
import { whereClause } from "./db";
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

/** A row of the redrive_jobs table: the job's own fields, and the others under their column names. */
type JobRow = Pick<
  RedriveJob,
  "id" | "actor" | "role" | "engine" | "status" | "moved" | "failed" | "resent" | "examined" | "skipped"
> & {
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  request_id: string;
  client_key: string | null;
  dlq_name: string;
  dlq_url: string;
  dlq_arn: string;
  fifo: number;
  target_json: string | null;
  sources_json: string | null;
  selection_json: string;
  edits_json: string | null;
  rate_per_second: number | null;
  lease_seconds: number;
  remaining: number | null;
  task_handle: string | null;
  owner: string | null;
  heartbeat_at: number | null;
  note: string | null;
  error: string | null;
  warning_json: string | null;
  environment: string;
  region: string;
};

const fromRow = (r: JobRow): RedriveJob => ({
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
  engine: r.engine,
  status: r.status,
  moved: r.moved,
  failed: r.failed,
  resent: r.resent,
  examined: r.examined,
  skipped: r.skipped,
  ...(r.remaining !== null ? { remaining: r.remaining } : {}),
  ...(r.task_handle ? { taskHandle: r.task_handle } : {}),
  ...(r.owner ? { owner: r.owner } : {}),
  ...(r.heartbeat_at !== null ? { heartbeatAt: r.heartbeat_at } : {}),
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

export function createRedriveJob(db: Database.Database, job: NewRedriveJob): RedriveJob {
  const now = new Date().toISOString();
  db.prepare(
    `INSERT INTO redrive_jobs (id, environment, region, created_at, updated_at, actor, role, request_id, client_key, ` +
      `dlq_name, dlq_url, dlq_arn, fifo, target_json, sources_json, selection_json, edits_json, ` +
      `rate_per_second, lease_seconds, engine, status, remaining, warning_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
  ).run(
    job.id,
    job.scope.environment,
    job.scope.region,
    now,
    now,
    job.actor,
    job.role,
    job.requestId,
    job.clientKey ?? null,
    job.dlq.name,
    job.dlq.url,
    job.dlq.arn,
    job.dlq.fifo ? 1 : 0,
    job.target ? JSON.stringify(job.target) : null,
    job.sources ? JSON.stringify(job.sources) : null,
    JSON.stringify(job.selection),
    job.edits ? JSON.stringify(job.edits) : null,
    job.ratePerSecond ?? null,
    job.leaseSeconds,
    job.engine,
    job.remaining ?? null,
    job.warning ? JSON.stringify(job.warning) : null,
  );
  return getRedriveJob(db, job.id)!;
}

/** A job by its id, in whichever environment it acts (ids are unique across them). */
export function getRedriveJob(db: Database.Database, id: string): RedriveJob | undefined {
  const row = db.prepare(`SELECT * FROM redrive_jobs WHERE id = ?`).get(id) as JobRow | undefined;
  return row ? fromRow(row) : undefined;
}

/** The job an actor started with this idempotency key in this environment and region. */
export function findRedriveJobByClientKey(
  db: Database.Database,
  scope: Scope,
  actor: string,
  clientKey: string,
): RedriveJob | undefined {
  const row = db
    .prepare(`SELECT * FROM redrive_jobs WHERE environment = ? AND region = ? AND actor = ? AND client_key = ?`)
    .get(scope.environment, scope.region, actor, clientKey) as JobRow | undefined;
  return row ? fromRow(row) : undefined;
}

/**
 * Newest first, of one environment and region (or of "all", for start-up's resume); optionally one
 * DLQ's, or only those in a status.
 */
export function listRedriveJobs(
  db: Database.Database,
  scope: Scope | "all",
  filter: { dlqName?: string; status?: RedriveStatus; limit?: number } = {},
): RedriveJob[] {
  const where = whereClause({
    environment: scope === "all" ? undefined : scope.environment,
    region: scope === "all" ? undefined : scope.region,
    dlq_name: filter.dlqName,
    status: filter.status,
  });
  const sql = `SELECT * FROM redrive_jobs ${where.sql} ORDER BY created_at DESC, rowid DESC LIMIT ?`;
  return (db.prepare(sql).all(...where.params, filter.limit ?? 50) as JobRow[]).map(fromRow);
}

export type RedriveJobPatch = Partial<
  Pick<
    RedriveJob,
    "status" | "remaining" | "taskHandle" | "note" | "error" | "finishedAt" | "moved" | "examined" | "skipped"
  >
>;

const patchColumns: Record<keyof RedriveJobPatch, string> = {
  status: "status",
  remaining: "remaining",
  taskHandle: "task_handle",
  note: "note",
  error: "error",
  finishedAt: "finished_at",
  moved: "moved",
  examined: "examined",
  skipped: "skipped",
};

/** Applies a patch; `note: undefined` in the patch leaves the note alone, `note: ""` clears it. */
export function updateRedriveJob(
  db: Database.Database,
  id: string,
  patch: RedriveJobPatch,
  onlyIfStatus?: RedriveStatus,
): boolean {
  const sets = ["updated_at = ?"];
  const params: unknown[] = [new Date().toISOString()];
  for (const [key, column] of Object.entries(patchColumns) as [keyof RedriveJobPatch, string][]) {
    if (patch[key] === undefined) continue;
    sets.push(`${column} = ?`);
    params.push(patch[key] === "" ? null : patch[key]);
  }
  const guard = onlyIfStatus ? " AND status = ?" : "";
  return db.transaction(() => {
    const before =
      patch.moved === undefined
        ? undefined
        : (db.prepare(`SELECT moved, dlq_name, engine, environment, region FROM redrive_jobs WHERE id = ?`).get(id) as
            | { moved: number; dlq_name: string; engine: RedriveEngine; environment: string; region: string }
            | undefined);
    const result = db
      .prepare(`UPDATE redrive_jobs SET ${sets.join(", ")} WHERE id = ?${guard}`)
      .run(...params, id, ...(onlyIfStatus ? [onlyIfStatus] : []));
    // An SQS move task reports only a running total (ApproximateNumberOfMessagesMoved): its growth
    // between two polls is what left the DLQ since the last one, booked now for the SLA.
    if (result.changes === 1 && before?.engine === "sqs-move-task")
      recordDlqRemoval(
        db,
        { environment: before.environment, region: before.region },
        before.dlq_name,
        patch.moved! - before.moved,
        "move-task",
      );
    return result.changes === 1;
  })();
}

/**
 * Takes a job for this process when nobody holds it or `takeOverFrom` is the holder seen dead:
 * compare-and-swap on the owner column, so two consoles never run one job at once.
 */
export function claimRedriveJob(
  db: Database.Database,
  id: string,
  owner: string,
  takeOverFrom: string | null,
  now = Date.now(),
): boolean {
  const result = db
    .prepare(
      `UPDATE redrive_jobs SET owner = ?, heartbeat_at = ? WHERE id = ? AND status = 'running' AND (owner IS ? OR owner = ?)`,
    )
    .run(owner, now, id, takeOverFrom, owner);
  return result.changes === 1;
}

/**
 * Renews the holder's heartbeat and says whether `owner` still holds the job: a compare-and-set on
 * the owner column, so a runner that lost the job (another console took it over) finds out here.
 */
export function heartbeatRedriveJob(db: Database.Database, id: string, owner: string, now = Date.now()): boolean {
  return (
    db.prepare(`UPDATE redrive_jobs SET heartbeat_at = ? WHERE id = ? AND owner = ?`).run(now, id, owner).changes === 1
  );
}

export function releaseRedriveJob(db: Database.Database, id: string, owner: string): void {
  db.prepare(`UPDATE redrive_jobs SET owner = NULL WHERE id = ? AND owner = ?`).run(id, owner);
}

export function listRedriveItems(db: Database.Database, jobId: string): RedriveItem[] {
  const rows = db
    .prepare(
      `SELECT message_id, state, target_message_id, attempts, first_sent_at, error FROM redrive_items WHERE job_id = ?`,
    )
    .all(jobId) as {
    message_id: string;
    state: ItemState;
    target_message_id: string | null;
    attempts: number;
    first_sent_at: number | null;
    error: string | null;
  }[];
  return rows.map((r) => ({
    messageId: r.message_id,
    state: r.state,
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
export function recordRedriveItems(
  db: Database.Database,
  jobId: string,
  updates: { messageId: string; state: ItemState; targetMessageId?: string; error?: string; resent?: boolean }[],
  now = Date.now(),
): void {
  const upsert = db.prepare(
    `INSERT INTO redrive_items (job_id, message_id, state, target_message_id, attempts, first_sent_at, error) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (job_id, message_id) DO UPDATE SET state = excluded.state,
       target_message_id = COALESCE(excluded.target_message_id, redrive_items.target_message_id),
       attempts = redrive_items.attempts + excluded.attempts,
       first_sent_at = COALESCE(redrive_items.first_sent_at, excluded.first_sent_at),
       error = excluded.error`,
  );
  db.transaction(() => {
    let resent = 0;
    for (const u of updates) {
      upsert.run(
        jobId,
        u.messageId,
        u.state,
        u.targetMessageId ?? null,
        u.state === "sending" ? 1 : 0,
        u.state === "sending" ? now : null,
        u.error ?? null,
      );
      if (u.resent) resent++;
    }
    db.prepare(
      `UPDATE redrive_jobs SET updated_at = ?, resent = resent + ?,
         moved = (SELECT count(*) FROM redrive_items WHERE job_id = ? AND state = 'moved'),
         failed = (SELECT count(*) FROM redrive_items WHERE job_id = ? AND state = 'failed')
       WHERE id = ?`,
    ).run(new Date().toISOString(), resent, jobId, jobId, jobId);
  })();
}
