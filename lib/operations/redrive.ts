import "server-only";
import { describedQueueResource, listViewer, queueArn, requireRoleOn } from "./resource-access";
import { processSingleton } from "../process-singleton";
import { randomUUID } from "node:crypto";
import { AppError, validationError } from "../domain/app-error";
import { decodeMessage, MASK, type ReceivedMessage } from "../domain/dead-letter-message";
import { maskByPolicy } from "../domain/masking-policy";
import { describeDeadLetterQueues, type DeadLetterQueue } from "../domain/dead-letters";
import {
  allowedActions,
  applyAction,
  fitsQueue,
  moveTaskRateProblem,
  resolveReplayTarget,
  SQS_MAX_MESSAGE_BYTES,
  statusAfter,
  type RedriveAction,
  type RedriveEngine,
  type ReplayTarget,
} from "../domain/replay";
import { probeCapability } from "../aws/capabilities";
import { cancelMessageMoveTask } from "../aws/sqs";
import {
  createRedriveJob,
  findRedriveJobByClientKey,
  getRedriveJob,
  getStore,
  listRedriveJobs,
  updateRedriveJob,
  type RedriveJob,
  type RedriveSelection,
} from "../store";
import type { ReplayRequest } from "../schemas/dead-letters";
import { leasedMessage, leasedMessages, takeFromLease } from "./dead-letter-browse";
import { maskingOn } from "./dead-letter-masking";
import { scopeOfContext, type OperationContext } from "./context";
import { readQueuesAndRedrives } from "./dead-letters";
import { compileFilterPolicyOrThrow } from "./filter-policy";
import { recordAudit } from "./audited";
import { isClaimable, runMoveTaskJob, runRedriveJob, stopRunsInThisProcess, type RunOptions } from "./redrive-engine";
import { checkReplay, lettersOfQueue } from "./replay-warning";
import type { ReplayWarning } from "../domain/replay-warning";
import { sameScope, scopeKey, type Scope } from "../domain/scope";
import { resourceAt, shownTo } from "../domain/visibility";

/** How long a job hides a dead letter it is moving; a crashed run's messages reappear after it. */
const JOB_LEASE_SECONDS = 60;

/** What the API says about a job: `GET /api/redrive-jobs/{id}`. */
export interface RedriveJobView {
  id: string;
  /** Where the job acts: its environment's id and region. */
  environment: string;
  region: string;
  status: RedriveJob["status"];
  engine: RedriveEngine;
  /** The console process that holds the job now (`<replica>/<pid>/<boot id>`), if any. */
  runner: string | null;
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
  /** Whether the job sends an edited copy of its one message. */
  edited: boolean;
  ratePerSecond: number | null;
  note: string | null;
  error: string | null;
  /** The replay check's warning as the job started: its letters will likely fail again. Never a refusal. */
  warning: ReplayWarning | null;
  actor: string;
  createdAt: string;
  finishedAt: string | null;
  actions: RedriveAction[];
}

export function jobView(job: RedriveJob): RedriveJobView {
  return {
    id: job.id,
    environment: job.scope.environment,
    region: job.scope.region,
    status: job.status,
    engine: job.engine,
    runner: job.owner ?? null,
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
    edited: job.edits !== undefined,
    ratePerSecond: job.ratePerSecond ?? null,
    note: job.note ?? null,
    error: job.error ?? null,
    warning: job.warning ?? null,
    actor: job.actor,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt ?? null,
    actions: allowedActions(job.status, job.engine),
  };
}

// One set of running jobs per server process, shared by every route bundle.
const running = processSingleton("redriveRuns", () => new Map<string, Promise<unknown>>());
/** Jobs being looked up before a run starts: a second call meanwhile starts nothing. */
const starting = processSingleton("redriveStarting", () => new Set<string>());

/**
 * Runs a job in this process unless it already runs here; the engine's claim keeps other processes
 * out. The job acts in its own environment and region, which must be the context's, with its own
 * recorded actor. Resolves once the run started (or there was nothing to run), not when it ends.
 */
export async function ensureRunning(
  ctx: OperationContext,
  jobId: string,
  handoff: RunOptions["handoff"] = [],
): Promise<void> {
  if (running.has(jobId) || starting.has(jobId)) return;
  starting.add(jobId);
  try {
    const db = await getStore();
    const job = await getRedriveJob(db, jobId);
    if (!job || job.status !== "running") return;
    if (!sameScope(job.scope, scopeOfContext(ctx)))
      throw new Error(
        `redrive job ${jobId} acts in ${scopeKey(job.scope)}, not in ${scopeKey(scopeOfContext(ctx))}: it is never run elsewhere`,
      );
    const run = (
      job.engine === "sqs-move-task" ? runMoveTaskJob(ctx, jobId) : runRedriveJob(ctx, jobId, { handoff })
    ).then(
      async (ended) => {
        running.delete(jobId);
        // The run stopped for a pause and the job was resumed while it wound down (the resume found
        // it still running here): start it again, so a running job never lacks a runner.
        if (ended && ended.status !== "running" && (await getRedriveJob(db, jobId))?.status === "running")
          await ensureRunning(ctx, jobId);
      },
      (err: unknown) => {
        running.delete(jobId);
        console.error(`[redrive] job ${jobId} stopped:`, err);
      },
    );
    running.set(jobId, run);
  } finally {
    starting.delete(jobId);
  }
}

/** A running job start-up did not resume, and why: its environment or region is no longer configured. */
export interface JobLeftAlone {
  jobId: string;
  scope: Scope;
  reason: string;
}

/**
 * Picks up every running job that no live runner holds (nobody, or a runner gone: a console that
 * stopped, a replica killed), each in its own environment and region (`contextIn` builds the
 * context there, and throws for one no longer configured: such a job is left as it is, never
 * resumed elsewhere). Called at server start and then every few seconds by every replica
 * (lib/operations/background.ts), never by a read: the claim in the store lets one replica win.
 */
export async function pickUpRedriveJobs(
  contextIn: (scope: Scope) => OperationContext,
  now = Date.now(),
): Promise<{ resumed: number; leftAlone: JobLeftAlone[] }> {
  const leftAlone: JobLeftAlone[] = [];
  let resumed = 0;
  for (const job of await listRedriveJobs(await getStore(), "all", { status: "running", limit: 1000 })) {
    if (running.has(job.id) || !isClaimable(job, now)) continue;
    let ctx: OperationContext;
    try {
      ctx = contextIn(job.scope);
    } catch (err) {
      leftAlone.push({ jobId: job.id, scope: job.scope, reason: err instanceof Error ? err.message : String(err) });
      continue;
    }
    await ensureRunning(ctx, job.id);
    resumed++;
  }
  return { resumed, leftAlone };
}

/** Stops this process's runs (graceful shutdown) and waits, at most `timeoutMs`, for them to let go of their jobs. */
export async function stopRedriveRuns(timeoutMs: number): Promise<void> {
  stopRunsInThisProcess();
  await Promise.race([Promise.allSettled([...running.values()]), new Promise((r) => setTimeout(r, timeoutMs))]);
}

/**
 * The environment and region a stored job acts in, for routes about one job (`/api/redrive-jobs/{id}`,
 * unscoped): they act where the job is, whichever scope the request names. Undefined for no such job
 * (the path parameter is not checked yet: anything but a string finds none).
 */
export async function redriveJobScope(jobId: unknown): Promise<Scope | undefined> {
  return typeof jobId === "string" ? (await getRedriveJob(await getStore(), jobId))?.scope : undefined;
}

/** The job if it acts in the context's environment and region; not found otherwise, as if it did not exist there. */
async function jobInScopeOrThrow(ctx: OperationContext, id: string): Promise<RedriveJob> {
  const job = await getRedriveJob(await getStore(), id);
  if (!job || !sameScope(job.scope, scopeOfContext(ctx))) throw new AppError("not_found", `No redrive job ${id}.`);
  return job;
}

async function findDeadLetterQueue(ctx: OperationContext, name: string) {
  const { queues, redrives } = await readQueuesAndRedrives(ctx);
  const dlq = describeDeadLetterQueues(queues, redrives).find((d) => d.name === name);
  if (!dlq) {
    if (!queues.some((q) => q.name === name)) throw new AppError("not_found", `No queue named ${name}.`);
    throw new AppError(
      "validation",
      `name: ${name} is not a dead-letter queue: no queue or subscription redrive policy names it.`,
      { issues: [{ path: "name", message: "not a dead-letter queue" }] },
    );
  }
  return { dlq, queues };
}

/**
 * SQS's own move task when the endpoint has it and the request is a plain full redrive back to
 * the DLQ's source queue; Fanout's engine for everything else (filters, selections, edits, other
 * targets, SNS subscription DLQs, endpoints without the API such as moto 5.2).
 */
async function chooseEngine(
  ctx: OperationContext,
  request: ReplayRequest,
  dlq: DeadLetterQueue,
  ownSource: boolean,
): Promise<RedriveEngine> {
  const plain =
    request.all && !request.filter && !request.edits && ownSource && dlq.sources.every((s) => s.kind === "queue");
  if (!plain) return "fanout";
  return (await probeCapability(ctx.aws, "sqs", "StartMessageMoveTask")) === "supported" ? "sqs-move-task" : "fanout";
}

/** The message an edited replay sends: the edits over the dead letter as SQS holds it. */
function editedMessage(original: ReceivedMessage, edits: NonNullable<ReplayRequest["edits"]>): ReceivedMessage {
  return {
    ...original,
    body: edits.body ?? original.body,
    messageAttributes: edits.attributes ?? original.messageAttributes,
  };
}

/**
 * An edited replay is refused for a message with masked fields (security review M7). The editor
 * starts from what the reader was shown, so an edit of a masked message carries `••••` where the
 * value was; merging the edit back onto the original cannot be done safely in general (a body
 * that is not JSON, an SNS envelope around it, keys renamed or moved by the edit), and a wrong
 * merge would send a wrong value and delete the only original. The unedited replay stays open:
 * it sends the dead letter exactly as SQS holds it.
 */
async function checkEditable(
  ctx: OperationContext,
  queueName: string,
  request: ReplayRequest,
): Promise<ReceivedMessage | undefined> {
  if (!request.edits) return undefined;
  const messageId = request.messageIds?.[0] ?? "";
  const original = await leasedMessage(ctx, queueName, messageId);
  // The server must see the message to know whether it is masked: an edit is of a message open in the reader.
  if (!original)
    throw new AppError(
      "conflict",
      `messageIds: ${messageId} is not in your lease on ${queueName} (it may have expired): open it again, then edit it.`,
      { issues: [{ path: "messageIds", message: "not in your lease" }] },
    );
  const shown = maskByPolicy(
    decodeMessage(original, { retentionSeconds: 0, fifo: queueName.endsWith(".fifo") }),
    maskingOn(ctx, await queueArn(ctx, queueName)).policy,
  );
  // A withheld payload was shown as a placeholder: an edit of it would send the placeholder.
  if (shown.withheld) {
    throw new AppError(
      "conflict",
      `edits: ${messageId}'s ${shown.withheld.part === "body" ? "body" : "SNS message"} is ` +
        `withheld (${shown.withheld.reason}) while masking rules are in force: an edited copy ` +
        `would carry the placeholder, so it is not sent. Replay it unedited, or export it.`,
      {
        issues: [{ path: "edits", message: "the message's payload is withheld" }],
        details: { withheld: shown.withheld },
      },
    );
  }
  const masked = shown.masked;
  if (masked.length > 0) {
    throw new AppError(
      "conflict",
      `edits: ${messageId} has masked fields (${masked.join(", ")}): an edited copy would carry ` +
        `${MASK} instead of their values, so it is not sent. Replay it unedited, or export it.`,
      {
        issues: [{ path: "edits", message: "the message has masked fields" }],
        details: { masked },
      },
    );
  }
  // Belt and braces: the mask text itself is never sent as a value.
  if (JSON.stringify(request.edits).includes(MASK))
    throw validationError(
      "edits",
      `the edit contains ${MASK}, the mask of a hidden value: put the real value in, or leave the field out.`,
    );
  return original;
}

/** What an edited replay sends, masked as everything in the audit (security review L5). */
function auditedEdit(
  ctx: OperationContext,
  original: ReceivedMessage,
  edits: NonNullable<ReplayRequest["edits"]>,
  dlq: { arn: string; fifo: boolean },
) {
  const shown = maskByPolicy(
    decodeMessage(editedMessage(original, edits), { retentionSeconds: 0, fifo: dlq.fifo }),
    maskingOn(ctx, dlq.arn).policy,
  );
  return { body: shown.body, attributes: shown.attributes, ...(shown.masked.length ? { masked: shown.masked } : {}) };
}

/** Starts a replay job (`POST /api/queues/{name}/replay`) and returns it as it begins. */
export async function startReplay(
  ctx: OperationContext,
  name: string,
  request: ReplayRequest,
): Promise<RedriveJobView> {
  const store = await getStore();
  if (request.clientKey) {
    const earlier = await findRedriveJobByClientKey(store, scopeOfContext(ctx), ctx.actor.name, request.clientKey);
    if (earlier) return jobView(earlier);
  }
  if (request.filter) compileFilterPolicyOrThrow(request.filter.policy, request.filter.scope, "filter.policy");
  const edited = await checkEditable(ctx, name, request);
  const { dlq, queues } = await findDeadLetterQueue(ctx, name);
  const single = request.messageIds?.length === 1 ? await leasedMessage(ctx, name, request.messageIds[0]!) : undefined;
  const requested = typeof request.target === "string" ? request.target : request.target?.queue;
  const resolution = resolveReplayTarget({
    dlq,
    queues,
    ...(requested ? { requested } : {}),
    ...(typeof request.target === "object" && request.target.override ? { override: true } : {}),
    ...(single?.attributes.DeadLetterQueueSourceArn
      ? { messageSourceArn: single.attributes.DeadLetterQueueSourceArn }
      : single
        ? { messageWithoutSource: true }
        : {}),
    role: ctx.actor.role,
  });
  if (!resolution.ok) {
    if (resolution.reason === "forbidden")
      throw new AppError("forbidden", `target: ${resolution.message}`, {
        issues: [{ path: "target", message: resolution.message }],
      });
    throw validationError("target", resolution.message);
  }
  const target: ReplayTarget | undefined = resolution.target;
  const eachToOwnSource = "eachToOwnSource" in resolution ? resolution.eachToOwnSource : undefined;
  // Sending into a queue is an operator's act on that queue too, where bindings name resources.
  for (const queue of target ? [target] : (eachToOwnSource ?? []))
    await requireRoleOn(ctx, describedQueueResource(ctx, queue), "operator", "target");
  if (edited && request.edits) {
    // The target queue's MaximumMessageSize is its limit (SQS Developer Guide, "Amazon SQS message
    // quotas"): an edit that does not fit is refused here rather than failing in the job. Sent each
    // to its own source, the smallest of the sources' limits.
    const sent = editedMessage(edited, request.edits);
    const limits = (target ? [target] : (eachToOwnSource ?? [])).map(
      (q) => q.maximumMessageSize ?? SQS_MAX_MESSAGE_BYTES,
    );
    const fit = fitsQueue(sent.body, sent.messageAttributes, Math.min(SQS_MAX_MESSAGE_BYTES, ...limits));
    if (!fit.fits) {
      const where = target ? `${target.name} takes` : "the source queues take";
      throw validationError(
        request.edits.body !== undefined ? "edits.body" : "edits.attributes",
        `the edited message is ${fit.size} bytes (body and attributes); ${where} at most ${fit.limit} (MaximumMessageSize).`,
      );
    }
  }
  const engine = await chooseEngine(ctx, request, dlq, resolution.ownSource);
  if (engine === "sqs-move-task" && request.ratePerSecond !== undefined) {
    const problem = moveTaskRateProblem(request.ratePerSecond);
    if (problem) throw validationError("ratePerSecond", problem);
  }
  const selection: RedriveSelection = request.messageIds
    ? { kind: "ids", ids: [...new Set(request.messageIds)] }
    : request.filter
      ? { kind: "filter", ...request.filter }
      : { kind: "all" };
  // Letters that would only fail again are worth a warning, never a refusal: the operator may know better.
  const check =
    selection.kind === "ids"
      ? await checkReplay(ctx, dlq.name, () => leasedMessages(ctx, name, selection.ids), selection.ids.length)
      : await checkReplay(ctx, dlq.name, () => lettersOfQueue(ctx, dlq), dlq.visible + dlq.inFlight + dlq.delayed);
  // The requester's leased copies go to the job, so closing the view cannot release them mid-move.
  const handoff = selection.kind === "ids" ? await takeFromLease(ctx, name, selection.ids) : [];
  const job = await createRedriveJob(store, {
    id: randomUUID(),
    scope: scopeOfContext(ctx),
    actor: ctx.actor.name,
    role: ctx.actor.role,
    requestId: ctx.requestId,
    ...(request.clientKey ? { clientKey: request.clientKey } : {}),
    dlq: { name: dlq.name, url: dlq.url, arn: dlq.arn, fifo: dlq.fifo },
    ...(target ? { target } : { sources: eachToOwnSource }),
    selection,
    ...(request.edits ? { edits: request.edits } : {}),
    ...(request.ratePerSecond ? { ratePerSecond: request.ratePerSecond } : {}),
    leaseSeconds: JOB_LEASE_SECONDS,
    engine,
    remaining: selection.kind === "ids" ? selection.ids.length : dlq.visible + dlq.inFlight + dlq.delayed,
    ...(check.warning ? { warning: check.warning } : {}),
  });
  await recordAudit(ctx, {
    action: "dead-letters.replay",
    target: dlq.arn,
    after: {
      jobId: job.id,
      engine,
      target: target?.name ?? null,
      ...(eachToOwnSource ? { eachToOwnSource: eachToOwnSource.map((q) => q.name) } : {}),
      ...(resolution.ownSource ? {} : { override: true }),
      selection: selection.kind === "ids" ? { messageIds: selection.ids } : selection,
      edited: request.edits !== undefined,
      ...(edited && request.edits ? { sent: auditedEdit(ctx, edited, request.edits, dlq) } : {}),
      ratePerSecond: request.ratePerSecond ?? null,
      warning: check.warning?.message ?? null,
    },
  });
  await ensureRunning(ctx, job.id, handoff);
  return jobView((await getRedriveJob(store, job.id))!);
}

export async function getJob(ctx: OperationContext, id: string): Promise<RedriveJobView> {
  return jobView(await jobInScopeOrThrow(ctx, id));
}

/**
 * The context's environment and region's jobs the caller may view (a job is its dead-letter queue's).
 * Reads only: a read never claims or resumes a job (start-up does, see resumeRedriveJobs).
 */
export async function listJobs(ctx: OperationContext, queueName?: string): Promise<RedriveJobView[]> {
  const jobs = await listRedriveJobs(await getStore(), scopeOfContext(ctx), queueName ? { dlqName: queueName } : {});
  return shownTo(jobs, (job) => resourceAt(job.dlq.arn), await listViewer(ctx)).shown.map(jobView);
}

/** Pauses, resumes or cancels a job; a repeated request finds the job already in that state. */
export async function actOnJob(ctx: OperationContext, id: string, action: RedriveAction): Promise<RedriveJobView> {
  const store = await getStore();
  const job = await jobInScopeOrThrow(ctx, id);
  if (job.status === statusAfter(action)) return jobView(job);
  const outcome = applyAction(job.status, job.engine, action);
  if (!outcome.ok) throw new AppError("conflict", outcome.message, { details: { status: job.status } });
  if (job.engine === "sqs-move-task" && action === "cancel" && job.taskHandle)
    await cancelMessageMoveTask(job.taskHandle, ctx.aws.clients);
  if (
    !(await updateRedriveJob(
      store,
      id,
      { status: outcome.status, ...(action === "resume" ? { error: "", finishedAt: "" } : {}) },
      job.status,
    ))
  ) {
    throw new AppError("conflict", "The job changed while you acted on it; look again.", {
      details: { status: (await getRedriveJob(store, id))?.status },
    });
  }
  await recordAudit(ctx, {
    action: `dead-letters.redrive.${action}`,
    target: job.dlq.arn,
    before: { jobId: id, status: job.status },
    after: { jobId: id, status: outcome.status },
  });
  if (action === "resume") await ensureRunning(ctx, id);
  return getJob(ctx, id);
}
