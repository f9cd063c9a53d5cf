import "server-only";
import { randomUUID } from "node:crypto";
import { AppError } from "../domain/app-error";
import { describeDeadLetterQueues, subscriptionRedrives, type DeadLetterQueue } from "../domain/dead-letters";
import { compileFilterPolicy } from "../domain/filter-policy";
import { allowedActions, applyAction, resolveReplayTarget, type RedriveAction, type RedriveEngine, type ReplayTarget } from "../domain/replay";
import { probeCapability } from "../aws/capabilities";
import { listQueueConsumers, setConsumerEnabled, type QueueConsumer } from "../aws/lambda";
import { listSubscriptions } from "../aws/sns";
import { cancelMessageMoveTask, describeQueue, describeQueues } from "../aws/sqs";
import { appendAudit, createRedriveJob, findRedriveJobByClientKey, getRedriveJob, getStore, listRedriveJobs, updateRedriveJob, type RedriveJob, type RedriveSelection } from "../store";
import { queueNameSchema, type ReplayRequest } from "../schemas/dead-letters";
import { leasedMessage, takeFromLease } from "./dead-letter-browse";
import { decodeParam, type Actor } from "./filter-policy";
import { runMoveTaskJob, runRedriveJob, type RunOptions } from "./redrive-engine";
import { invalidateTopology } from "./topology";

/** How long a job hides a dead letter it is moving; a crashed run's messages reappear after it. */
const JOB_LEASE_SECONDS = 60;

/** What the API says about a job: `GET /api/redrive-jobs/{id}`. */
export interface RedriveJobView {
  id: string;
  status: RedriveJob["status"];
  engine: RedriveEngine;
  moved: number;
  failed: number;
  remaining: number | null;
  resent: number;
  /** Dead letters the job received from the DLQ so far, and of those the ones it leaves there (not selected). */
  examined: number;
  skipped: number;
  dlq: string;
  /** null with `eachToOwnSource`: each letter goes back to the source queue it names. */
  target: string | null;
  eachToOwnSource: string[] | null;
  selection: RedriveSelection["kind"];
  messageCount?: number;
  ratePerSecond: number | null;
  note: string | null;
  error: string | null;
  actor: string;
  createdAt: string;
  finishedAt: string | null;
  actions: RedriveAction[];
}

export function jobView(job: RedriveJob): RedriveJobView {
  return {
    id: job.id,
    status: job.status,
    engine: job.engine,
    moved: job.moved,
    failed: job.failed,
    remaining: job.remaining ?? null,
    resent: job.resent,
    examined: job.examined,
    skipped: job.skipped,
    dlq: job.dlq.name,
    target: job.target?.name ?? null,
    eachToOwnSource: job.target ? null : (job.sources?.map((q) => q.name) ?? null),
    selection: job.selection.kind,
    ...(job.selection.kind === "ids" ? { messageCount: job.selection.ids.length } : {}),
    ratePerSecond: job.ratePerSecond ?? null,
    note: job.note ?? null,
    error: job.error ?? null,
    actor: job.actor,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt ?? null,
    actions: allowedActions(job.status, job.engine),
  };
}

// One set of running jobs per server process, shared by every route bundle.
const running = ((globalThis as { __fanoutRedriveRuns?: Map<string, Promise<unknown>> }).__fanoutRedriveRuns ??= new Map());

/** Runs a job in this process unless it already runs here; the engine's claim keeps other processes out. */
export function ensureRunning(jobId: string, handoff: RunOptions["handoff"] = []): void {
  if (running.has(jobId)) return;
  const job = getRedriveJob(getStore(), jobId);
  if (!job || job.status !== "running") return;
  const run = (job.engine === "sqs-move-task" ? runMoveTaskJob(jobId) : runRedriveJob(jobId, { handoff }))
    .then(
      (ended) => {
        running.delete(jobId);
        // The run stopped for a pause and the job was resumed while it wound down (the resume found
        // it still running here): start it again, so a running job never lacks a runner.
        if (ended && ended.status !== "running" && getRedriveJob(getStore(), jobId)?.status === "running") ensureRunning(jobId);
      },
      (err: unknown) => {
        running.delete(jobId);
        console.error(`[redrive] job ${jobId} stopped:`, err);
      },
    );
  running.set(jobId, run);
}

/** Picks up every job a stopped console left running. Called once at server start (instrumentation.ts), never by a read. */
export function resumeRedriveJobs(): number {
  const jobs = listRedriveJobs(getStore(), { status: "running", limit: 1000 });
  for (const job of jobs) ensureRunning(job.id);
  return jobs.length;
}

export function checkQueueName(raw: string): string {
  const name = decodeParam(raw);
  const parsed = queueNameSchema.safeParse(name);
  if (!parsed.success) throw new AppError("validation", `name: ${parsed.error.issues[0]?.message ?? "not a queue name"}`, { issues: [{ path: "name", message: "not a queue name" }] });
  return name;
}

async function findDeadLetterQueue(name: string) {
  const [queues, subscriptions] = await Promise.all([describeQueues(), listSubscriptions()]);
  const dlq = describeDeadLetterQueues(queues, subscriptionRedrives(subscriptions)).find((d) => d.name === name);
  if (!dlq) {
    if (!queues.some((q) => q.name === name)) throw new AppError("not_found", `No queue named ${name}.`);
    throw new AppError("validation", `name: ${name} is not a dead-letter queue: no queue or subscription redrive policy names it.`, { issues: [{ path: "name", message: "not a dead-letter queue" }] });
  }
  return { dlq, queues };
}

/**
 * SQS's own move task when the endpoint has it and the request is a plain full redrive back to
 * the DLQ's source queue; Fanout's engine for everything else (filters, selections, edits, other
 * targets, SNS subscription DLQs, endpoints without the API such as moto 5.2).
 */
async function chooseEngine(request: ReplayRequest, dlq: DeadLetterQueue, ownSource: boolean): Promise<RedriveEngine> {
  const plain = request.all && !request.filter && !request.edits && ownSource && dlq.sources.every((s) => s.kind === "queue");
  if (!plain) return "fanout";
  return (await probeCapability("sqs", "StartMessageMoveTask")) === "supported" ? "sqs-move-task" : "fanout";
}

/** Starts a replay job (`POST /api/queues/{name}/replay`) and returns it as it begins. */
export async function startReplay(actor: Actor, rawName: string, request: ReplayRequest): Promise<RedriveJobView> {
  const name = checkQueueName(rawName);
  const store = getStore();
  if (request.clientKey) {
    const earlier = findRedriveJobByClientKey(store, actor.user.name, request.clientKey);
    if (earlier) return jobView(earlier);
  }
  if (request.filter) {
    const compiled = compileFilterPolicy(request.filter.policy, request.filter.scope);
    if (!compiled.ok) {
      const path = `filter.policy${compiled.error.path.replace(/^\$/, "")}`;
      throw new AppError("validation", `${path}: ${compiled.error.reason}`, { issues: [{ path, message: compiled.error.reason }] });
    }
  }
  const { dlq, queues } = await findDeadLetterQueue(name);
  const single = request.messageIds?.length === 1 ? leasedMessage(actor, name, request.messageIds[0]!) : undefined;
  const resolution = resolveReplayTarget({
    dlq,
    queues,
    ...(request.target ? { requested: request.target } : {}),
    ...(single?.attributes.DeadLetterQueueSourceArn ? { messageSourceArn: single.attributes.DeadLetterQueueSourceArn } : single ? { messageWithoutSource: true } : {}),
    edited: request.edits !== undefined,
    role: actor.user.role,
  });
  if (!resolution.ok) throw new AppError("validation", `target: ${resolution.message}`, { issues: [{ path: "target", message: resolution.message }] });
  const engine = await chooseEngine(request, dlq, resolution.ownSource);
  const selection: RedriveSelection = request.messageIds ? { kind: "ids", ids: [...new Set(request.messageIds)] } : request.filter ? { kind: "filter", ...request.filter } : { kind: "all" };
  // The requester's leased copies go to the job, so closing the view cannot release them mid-move.
  const handoff = selection.kind === "ids" ? takeFromLease(actor, name, selection.ids) : [];
  const target: ReplayTarget | undefined = resolution.target;
  const eachToOwnSource = "eachToOwnSource" in resolution ? resolution.eachToOwnSource : undefined;
  const job = createRedriveJob(store, {
    id: randomUUID(),
    actor: actor.user.name,
    role: actor.user.role,
    requestId: actor.requestId,
    ...(request.clientKey ? { clientKey: request.clientKey } : {}),
    dlq: { name: dlq.name, url: dlq.url, arn: dlq.arn, fifo: dlq.fifo },
    ...(target ? { target } : { sources: eachToOwnSource }),
    selection,
    ...(request.edits ? { edits: request.edits } : {}),
    ...(request.ratePerSecond ? { ratePerSecond: request.ratePerSecond } : {}),
    leaseSeconds: JOB_LEASE_SECONDS,
    engine,
    remaining: selection.kind === "ids" ? selection.ids.length : dlq.visible + dlq.inFlight + dlq.delayed,
  });
  appendAudit(store, {
    actor: actor.user.name,
    role: actor.user.role,
    action: "dead-letters.replay",
    target: dlq.arn,
    before: null,
    after: { jobId: job.id, engine, target: target?.name ?? null, ...(eachToOwnSource ? { eachToOwnSource: eachToOwnSource.map((q) => q.name) } : {}), selection: selection.kind === "ids" ? { messageIds: selection.ids } : selection, edited: request.edits !== undefined, ratePerSecond: request.ratePerSecond ?? null },
    requestId: actor.requestId,
    outcome: "success",
  });
  ensureRunning(job.id, handoff);
  return jobView(getRedriveJob(store, job.id)!);
}

export function getJob(id: string): RedriveJobView {
  const job = getRedriveJob(getStore(), id);
  if (!job) throw new AppError("not_found", `No redrive job ${id}.`);
  return jobView(job);
}

/** Reads only: a read never claims or resumes a job (start-up does, see resumeRedriveJobs). */
export function listJobs(rawName?: string): RedriveJobView[] {
  return listRedriveJobs(getStore(), rawName ? { dlqName: checkQueueName(rawName) } : {}).map(jobView);
}

/** Pauses, resumes or cancels a job; a repeated request finds the job already in that state. */
export async function actOnJob(actor: Actor, id: string, action: RedriveAction): Promise<RedriveJobView> {
  const store = getStore();
  const job = getRedriveJob(store, id);
  if (!job) throw new AppError("not_found", `No redrive job ${id}.`);
  const wanted = { pause: "paused", resume: "running", cancel: "cancelled" } as const;
  if (job.status === wanted[action]) return jobView(job);
  const outcome = applyAction(job.status, job.engine, action);
  if (!outcome.ok) throw new AppError("conflict", outcome.message, { details: { status: job.status } });
  if (job.engine === "sqs-move-task" && action === "cancel" && job.taskHandle) await cancelMessageMoveTask(job.taskHandle);
  if (!updateRedriveJob(store, id, { status: outcome.status, ...(action === "resume" ? { error: "", finishedAt: "" } : {}) }, job.status)) {
    throw new AppError("conflict", "The job changed while you acted on it; look again.", { details: { status: getRedriveJob(store, id)?.status } });
  }
  appendAudit(store, {
    actor: actor.user.name,
    role: actor.user.role,
    action: `dead-letters.redrive.${action}`,
    target: job.dlq.arn,
    before: { jobId: id, status: job.status },
    after: { jobId: id, status: outcome.status },
    requestId: actor.requestId,
    outcome: "success",
  });
  if (action === "resume") ensureRunning(id);
  return getJob(id);
}

/** The Lambda consumers of a queue (its event source mappings). */
export async function queueConsumers(rawName: string): Promise<QueueConsumer[]> {
  const queue = await describeQueue(checkQueueName(rawName));
  return listQueueConsumers(queue.arn);
}

/**
 * Pauses or resumes a queue's consumer, so a replay does not run into a consumer that still
 * fails. Only a mapping of this queue can be changed through this queue's route.
 */
export async function setQueueConsumer(actor: Actor, rawName: string, uuid: string, enabled: boolean): Promise<QueueConsumer> {
  const queue = await describeQueue(checkQueueName(rawName));
  const consumer = (await listQueueConsumers(queue.arn)).find((c) => c.uuid === uuid);
  if (!consumer) throw new AppError("validation", `uuid: no event source mapping ${uuid} reads ${queue.name}.`, { issues: [{ path: "uuid", message: "not a consumer of this queue" }] });
  const audit = { actor: actor.user.name, role: actor.user.role, action: enabled ? "consumer.resume" : "consumer.pause", target: queue.arn, before: consumer, requestId: actor.requestId };
  try {
    const after = await setConsumerEnabled(uuid, enabled);
    appendAudit(getStore(), { ...audit, after, outcome: "success" });
    invalidateTopology();
    return after;
  } catch (err) {
    appendAudit(getStore(), { ...audit, after: null, outcome: "failure", detail: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}
