import "server-only";
import { randomUUID } from "node:crypto";
import os from "node:os";
import { AppError } from "../domain/app-error";
import { decodeMessage, toFilterMessage, type ReceivedMessage } from "../domain/dead-letter-message";
import { compileFilterPolicy, evaluateFilterPolicy, type CompiledPolicy } from "../domain/filter-policy";
import { buildReplayEntry, chunkEntries, pacingDelayMs, rampedRate, type ReplayEntry } from "../domain/replay";
import { deleteMessageBatch, latestMessageMoveTask, queueDepth, receiveMessages, sendMessageBatch, setVisibility, startMessageMoveTask } from "../aws/sqs";
import {
  appendAudit,
  claimRedriveJob,
  getRedriveJob,
  getStore,
  heartbeatRedriveJob,
  listRedriveItems,
  recordDlqRemoval,
  recordRedriveItems,
  releaseRedriveJob,
  updateRedriveJob,
  type RedriveItem,
  type RedriveJob,
} from "../store";

/**
 * Fanout's own redrive: moves dead letters back with the batch APIs so that none is lost.
 *
 * Per batch: receive up to 10 (hidden for the job's lease), record each as `sending`, send the
 * copies with SendMessageBatch, record `sent` with the copy's id, then DeleteMessageBatch the dead
 * letters and record `moved`. A crash anywhere leaves every dead letter either still in the DLQ
 * (it reappears when the lease runs out) or recorded: a `sent` one is only deleted when seen
 * again, a `sending` one is sent again (on FIFO with the same deduplication id, so SQS drops the
 * copy; on a standard queue it may be a duplicate, counted as `resent`).
 */

/** Points where a test can stop the process, to prove a crash there loses nothing. */
export interface EngineHooks {
  /** SQS accepted a batch of copies; the store does not know yet. */
  afterSendRequest?: (batchNumber: number) => void | Promise<void>;
  /** The copies are recorded as sent; the dead letters are not deleted yet. */
  afterSendRecorded?: (batchNumber: number) => void | Promise<void>;
}

export interface RunOptions {
  hooks?: EngineHooks;
  /** Dead letters the requester already holds (a reader's lease), processed first without a receive. */
  handoff?: ReceivedMessage[];
}

/** Two empty receives in a row (the second a long poll, which asks every SQS server) end a sweep. */
const EMPTY_RECEIVES_TO_FINISH = 2;
const DEPTH_REFRESH_MS = 5_000;
const SEND_ATTEMPTS = 4;

/** Identifies this process as a job owner; the boot id guards against a reused pid. */
const owner = `${os.hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A holder is gone when it ran on this host and its process no longer exists, or it stopped beating. */
function ownerIsGone(job: RedriveJob, staleMs = 60_000): boolean {
  if (!job.owner) return true;
  const [host, pid] = job.owner.split("/");
  if (host === os.hostname() && pid && Number(pid) !== process.pid) {
    try {
      process.kill(Number(pid), 0);
    } catch {
      return true;
    }
  }
  return job.heartbeatAt === undefined || Date.now() - job.heartbeatAt > staleMs;
}

/** Takes the job for this process, or says it is someone else's (or no longer running). */
function claim(jobId: string): RedriveJob | undefined {
  const db = getStore();
  const job = getRedriveJob(db, jobId);
  if (!job || job.status !== "running") return undefined;
  if (job.owner === owner) return job;
  if (job.owner && !ownerIsGone(job)) return undefined;
  return claimRedriveJob(db, jobId, owner, job.owner ?? null) ? getRedriveJob(db, jobId) : undefined;
}

type Disposition = "send" | "delete" | "hold";

/** A failure the job must not carry on from. */
class StopJob extends Error {}

class Run {
  private readonly db = getStore();
  private readonly items = new Map<string, RedriveItem>();
  /** Ids of the copies this job sent: such a message back in the DLQ is a replay that failed again. */
  private readonly copies = new Set<string>();
  /** Dead letters this job keeps hidden because they are not its to move; released at the end. */
  private readonly held = new Map<string, string>();
  private readonly filter?: CompiledPolicy;
  private readonly wanted?: Set<string>;
  private batches = 0;
  private depthCheckedAt = 0;
  private readonly startedAt = Date.now();

  constructor(
    private job: RedriveJob,
    private readonly hooks: EngineHooks,
  ) {
    for (const item of listRedriveItems(this.db, job.id)) {
      this.items.set(item.messageId, item);
      if (item.targetMessageId) this.copies.add(item.targetMessageId);
    }
    if (job.selection.kind === "filter") {
      const compiled = compileFilterPolicy(job.selection.policy, job.selection.scope);
      if (!compiled.ok) throw new AppError("validation", `filter: ${compiled.error.reason}`);
      this.filter = compiled.policy;
    }
    if (job.selection.kind === "ids") this.wanted = new Set(job.selection.ids);
  }

  private get target() {
    if (!this.job.target) throw new AppError("validation", "target: the job has no target queue");
    return this.job.target;
  }

  private selected(m: ReceivedMessage): boolean {
    const selection = this.job.selection;
    if (selection.kind === "all") return true;
    if (selection.kind === "ids") return this.wanted!.has(m.messageId);
    const decoded = decodeMessage(m, { retentionSeconds: 0, fifo: this.job.dlq.fifo });
    return evaluateFilterPolicy(this.filter!, toFilterMessage(decoded, selection.scope)).match;
  }

  private dispositionOf(m: ReceivedMessage): Disposition {
    const state = this.items.get(m.messageId)?.state;
    if (state === "sent" || state === "moved") return "delete";
    if (this.copies.has(m.messageId) || state === "failed" || !this.selected(m)) return "hold";
    return "send";
  }

  private record(updates: Parameters<typeof recordRedriveItems>[2]) {
    recordRedriveItems(this.db, this.job.id, updates);
    for (const u of updates) {
      const before = this.items.get(u.messageId);
      this.items.set(u.messageId, {
        messageId: u.messageId,
        state: u.state,
        attempts: (before?.attempts ?? 0) + (u.state === "sending" ? 1 : 0),
        ...((u.targetMessageId ?? before?.targetMessageId) ? { targetMessageId: u.targetMessageId ?? before?.targetMessageId } : {}),
        ...(u.error ? { error: u.error } : {}),
      });
      if (u.targetMessageId) this.copies.add(u.targetMessageId);
    }
  }

  /** Handles one set of received dead letters; returns how many it sent or deleted. */
  async process(messages: ReceivedMessage[]): Promise<number> {
    const toSend: ReceivedMessage[] = [];
    const toDelete: ReceivedMessage[] = [];
    for (const m of messages) {
      const disposition = this.dispositionOf(m);
      if (disposition === "send") toSend.push(m);
      else if (disposition === "delete") toDelete.push(m);
      else this.held.set(m.messageId, m.receiptHandle);
    }
    if (toSend.length) toDelete.push(...(await this.send(toSend)));
    if (toDelete.length) await this.delete(toDelete);
    return toSend.length + toDelete.length;
  }

  private async send(messages: ReceivedMessage[]): Promise<ReceivedMessage[]> {
    const byEntryId = new Map<string, ReceivedMessage>();
    const entries = messages.map((m, index) => {
      const entry = buildReplayEntry(m, { jobId: this.job.id, fifo: this.job.dlq.fifo, index, ...(this.job.edits ? { edits: this.job.edits } : {}) });
      byEntryId.set(entry.id, m);
      return entry;
    });
    this.record(messages.map((m) => ({ messageId: m.messageId, state: "sending" as const, resent: this.items.get(m.messageId)?.state === "sending" })));
    const confirmed: ReceivedMessage[] = [];
    this.batches++;
    for (const chunk of chunkEntries(entries)) {
      const { sent, failed, maybeTwice } = await this.sendWithRetry(chunk);
      await this.hooks.afterSendRequest?.(this.batches);
      this.record([
        ...[...sent].map(([id, copyId]) => ({ messageId: byEntryId.get(id)!.messageId, state: "sent" as const, targetMessageId: copyId, resent: maybeTwice.has(id) })),
        ...[...failed].map(([id, reason]) => ({ messageId: byEntryId.get(id)!.messageId, state: "failed" as const, error: reason })),
      ]);
      for (const id of sent.keys()) confirmed.push(byEntryId.get(id)!);
      for (const id of failed.keys()) {
        const m = byEntryId.get(id)!;
        this.held.set(m.messageId, m.receiptHandle);
      }
      if (failed.size && this.job.dlq.fifo) {
        // Sending the group's next message after one that failed would break the group's order.
        const [first] = failed.values();
        throw new StopJob(`A FIFO dead letter could not be sent (${first}); the job stopped so that its group keeps its order.`);
      }
    }
    await this.hooks.afterSendRecorded?.(this.batches);
    return confirmed;
  }

  /**
   * Sends a chunk; entries that fail for a retryable reason are resent alone, with backoff.
   * `maybeTwice`: entries of a standard queue sent by a request the SDK had to repeat (an answer
   * lost on the way may mean the first one was carried out), reported as possible duplicates;
   * on FIFO the deduplication id makes SQS drop the second copy.
   */
  private async sendWithRetry(chunk: ReplayEntry[]): Promise<{ sent: Map<string, string>; failed: Map<string, string>; maybeTwice: Set<string> }> {
    const sent = new Map<string, string>();
    const failed = new Map<string, string>();
    const maybeTwice = new Set<string>();
    let pending = chunk;
    for (let attempt = 1; pending.length && attempt <= SEND_ATTEMPTS; attempt++) {
      const result = await sendMessageBatch(this.target.url, pending);
      for (const [id, copyId] of result.succeeded) {
        sent.set(id, copyId);
        if (result.attempts > 1 && !this.job.dlq.fifo) maybeTwice.add(id);
      }
      const retry: ReplayEntry[] = [];
      for (const entry of pending) {
        const failure = result.failed.get(entry.id);
        if (!failure) continue;
        const reason = `${failure.code}: ${failure.message}`;
        if (failure.senderFault || attempt === SEND_ATTEMPTS) failed.set(entry.id, reason);
        else retry.push(entry);
      }
      pending = retry;
      if (pending.length) await sleep(200 * 2 ** attempt);
    }
    return { sent, failed, maybeTwice };
  }

  private async delete(messages: ReceivedMessage[]) {
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      const result = await deleteMessageBatch(
        this.job.dlq.url,
        chunk.map((m, index) => ({ id: `d${index}`, receiptHandle: m.receiptHandle })),
      );
      // A failed delete (an expired receipt handle) leaves the item `sent`: deleted when seen again.
      this.record(chunk.flatMap((m, index) => (result.succeeded.has(`d${index}`) ? [{ messageId: m.messageId, state: "moved" as const }] : [])));
      recordDlqRemoval(getStore(), this.job.dlq.name, result.succeeded.size, "redrive");
      for (const m of chunk) this.held.delete(m.messageId);
    }
  }

  private unresolvedWanted(): string[] {
    if (!this.wanted) return [];
    return [...this.wanted].filter((id) => {
      const state = this.items.get(id)?.state;
      return state !== "moved" && state !== "failed";
    });
  }

  private pendingItems(): number {
    let n = 0;
    for (const item of this.items.values()) if (item.state === "sending" || item.state === "sent") n++;
    return n;
  }

  private remaining(depth?: number): number | undefined {
    if (this.wanted) return this.unresolvedWanted().length;
    return depth === undefined ? undefined : Math.max(0, depth - this.held.size);
  }

  /** Re-reads the job: a pause or cancel from the API arrives through the store. */
  private refresh(): RedriveJob {
    this.job = getRedriveJob(this.db, this.job.id)!;
    return this.job;
  }

  private async releaseHeld() {
    const handles = [...this.held.values()];
    this.held.clear();
    // An expired handle means the message is visible already: nothing to release.
    await setVisibility(this.job.dlq.url, handles, 0).catch(() => undefined);
  }

  async run(handoff: ReceivedMessage[]): Promise<RedriveJob> {
    let emptyReceives = 0;
    let backoffMs = 500;
    if (handoff.length) await this.process(handoff);
    for (;;) {
      const status = this.refresh().status;
      if (status !== "running") {
        await this.releaseHeld();
        if (status === "cancelled") updateRedriveJob(this.db, this.job.id, { finishedAt: new Date().toISOString(), note: "" });
        return this.refresh();
      }
      heartbeatRedriveJob(this.db, this.job.id, owner);
      if (this.wanted && this.unresolvedWanted().length === 0) break;
      try {
        const rate = rampedRate((Date.now() - this.startedAt) / 1000, this.job.ratePerSecond ?? 0);
        const max = Number.isFinite(rate) ? Math.max(1, Math.min(10, Math.floor(rate))) : 10;
        const began = Date.now();
        const messages = await receiveMessages(this.job.dlq.url, { max, visibilitySeconds: this.job.leaseSeconds, waitSeconds: emptyReceives > 0 ? 1 : 0 });
        const acted = await this.process(messages);
        emptyReceives = acted === 0 ? emptyReceives + 1 : 0;
        backoffMs = 500;
        if (emptyReceives >= EMPTY_RECEIVES_TO_FINISH) {
          const depth = await queueDepth(this.job.dlq.url);
          const othersInFlight = depth.inFlight - this.held.size;
          const pending = this.pendingItems();
          if (pending === 0 && othersInFlight <= 0) {
            updateRedriveJob(this.db, this.job.id, { remaining: this.remaining(depth.visible + depth.inFlight + depth.delayed) ?? 0 });
            break;
          }
          updateRedriveJob(this.db, this.job.id, {
            note: `Waiting for ${Math.max(pending, othersInFlight)} dead letter(s) in flight (in someone's read lease or an interrupted run) to become visible again.`,
          });
          await sleep(1000);
          continue;
        }
        if (Date.now() - this.depthCheckedAt > DEPTH_REFRESH_MS || this.wanted) {
          const depth = this.wanted ? undefined : await queueDepth(this.job.dlq.url);
          this.depthCheckedAt = Date.now();
          updateRedriveJob(this.db, this.job.id, { remaining: this.remaining(depth ? depth.visible + depth.inFlight + depth.delayed : undefined), note: "" });
        }
        const wait = pacingDelayMs(acted, rate, Date.now() - began);
        if (wait > 0) await sleep(wait);
      } catch (err) {
        const appError = err instanceof AppError ? err : new AppError("internal", err instanceof Error ? err.message : String(err));
        if (!(err instanceof StopJob) && (appError.code === "throttled" || appError.code === "upstream_unavailable")) {
          // Throttled or unreachable: back off and carry on; received dead letters reappear after the lease.
          updateRedriveJob(this.db, this.job.id, { note: `Backing off ${Math.round(backoffMs / 1000)} s: ${appError.message}` });
          await sleep(backoffMs);
          backoffMs = Math.min(backoffMs * 2, 30_000);
          continue;
        }
        await this.releaseHeld();
        updateRedriveJob(this.db, this.job.id, { status: "failed", error: appError.message, finishedAt: new Date().toISOString() }, "running");
        return this.finish("failure", appError.message);
      }
    }
    if (this.wanted) {
      const missing = this.unresolvedWanted();
      if (missing.length) this.record(missing.map((messageId) => ({ messageId, state: "failed" as const, error: "not found in the DLQ (deleted, expired or moved by someone else)" })));
    }
    await this.releaseHeld();
    updateRedriveJob(this.db, this.job.id, { status: "completed", finishedAt: new Date().toISOString(), note: "", ...(this.wanted ? { remaining: 0 } : {}) }, "running");
    return this.finish("success");
  }

  private finish(outcome: "success" | "failure", detail?: string): RedriveJob {
    const job = this.refresh();
    appendAudit(this.db, {
      actor: job.actor,
      role: job.role,
      action: "dead-letters.redrive.finish",
      target: job.dlq.arn,
      before: null,
      after: { jobId: job.id, status: job.status, moved: job.moved, failed: job.failed, resent: job.resent, target: job.target?.name },
      requestId: job.requestId,
      outcome,
      ...(detail ? { detail } : {}),
    });
    return job;
  }
}

/**
 * Runs (or resumes) a job in this process until it completes, fails, or is paused or cancelled
 * through the store. Returns undefined when another live process holds the job.
 */
export async function runRedriveJob(jobId: string, options: RunOptions = {}): Promise<RedriveJob | undefined> {
  const job = claim(jobId);
  if (!job) return undefined;
  try {
    return await new Run(job, options.hooks ?? {}).run(options.handoff ?? []);
  } finally {
    releaseRedriveJob(getStore(), jobId, owner);
  }
}

const MOVE_TASK_POLL_MS = 2_000;

/**
 * SQS's own redrive (StartMessageMoveTask), for a plain full redrive where the endpoint offers
 * it: SQS moves the messages; the job mirrors the task's progress from ListMessageMoveTasks. A
 * move task cannot be paused, only cancelled (SQS API Reference, CancelMessageMoveTask).
 */
async function followMoveTask(jobId: string): Promise<RedriveJob> {
  const db = getStore();
  let job = getRedriveJob(db, jobId)!;
  if (!job.taskHandle) {
    const handle = await startMessageMoveTask(job.dlq.arn, job.target?.arn, job.ratePerSecond);
    updateRedriveJob(db, jobId, { taskHandle: handle });
  }
  for (;;) {
    heartbeatRedriveJob(db, jobId, owner);
    const task = await latestMessageMoveTask(job.dlq.arn);
    job = getRedriveJob(db, jobId)!;
    if (task) {
      const remaining = task.toMove !== undefined ? Math.max(0, task.toMove - task.moved) : undefined;
      const finished = moveTaskOutcome[task.status];
      updateRedriveJob(db, jobId, {
        moved: task.moved,
        ...(remaining !== undefined ? { remaining } : {}),
        ...(finished ? { status: finished, finishedAt: new Date().toISOString(), ...(task.failureReason ? { error: task.failureReason } : {}) } : {}),
      });
      if (finished) return getRedriveJob(db, jobId)!;
    }
    await sleep(MOVE_TASK_POLL_MS);
  }
}

const moveTaskOutcome: Record<string, RedriveJob["status"] | undefined> = { COMPLETED: "completed", CANCELLED: "cancelled", FAILED: "failed" };

/** Follows a job that SQS's message move task runs; undefined when another live process follows it. */
export async function runMoveTaskJob(jobId: string): Promise<RedriveJob | undefined> {
  if (!claim(jobId)) return undefined;
  try {
    return await followMoveTask(jobId);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    updateRedriveJob(getStore(), jobId, { status: "failed", error: message, finishedAt: new Date().toISOString() }, "running");
    return getRedriveJob(getStore(), jobId);
  } finally {
    releaseRedriveJob(getStore(), jobId, owner);
  }
}
