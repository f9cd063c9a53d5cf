import "server-only";
import { createHash } from "node:crypto";
import { AppError } from "../domain/app-error";
import { decodeMessage, toFilterMessage, type ReceivedMessage } from "../domain/dead-letter-message";
import { compileFilterPolicy, evaluateFilterPolicy, type CompiledPolicy } from "../domain/filter-policy";
import {
  buildReplayEntry,
  chunkEntries,
  moveTaskRateProblem,
  pacingDelayMs,
  rampedRate,
  resendMayDuplicate,
  targetOfLetter,
  type ReplayEntry,
  type ReplayTarget,
} from "../domain/replay";
import {
  deleteMessages,
  latestMessageMoveTask,
  queueDepth,
  receiveMessages,
  sendMessageBatch,
  setVisibility,
  startMessageMoveTask,
} from "../aws/sqs";
import type { AwsClients } from "../aws/clients";
import type { OperationContext } from "./context";
import {
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
  type JobClaim,
  type RedriveJob,
  type Store,
} from "../store";
import { processSingleton } from "../process-singleton";
import { processOwner, replicaName } from "../replica";
import { recordAudit } from "./audited";
import { dropJobHolds, endJobHolds, noteJobHolds, startJobHolds } from "./redrive-holds";

/**
 * Fanout's own redrive: moves dead letters back with the batch APIs so that none is lost.
 *
 * Per batch: receive up to 10 (hidden for the job's lease), record each as `sending`, send the
 * copies with SendMessageBatch, record `sent` with the copy's id, then DeleteMessageBatch the dead
 * letters and record `moved`. A crash anywhere leaves every dead letter either still in the DLQ
 * (it reappears when the lease runs out) or recorded: a `sent` one is only deleted when seen
 * again, a `sending` one is sent again: on FIFO with the same deduplication id, so SQS drops the
 * copy if the first send is less than 5 minutes old (the deduplication interval, SQS Developer
 * Guide "Exactly-once processing"); on a standard queue, or later than that, it may be a
 * duplicate, counted as `resent`.
 *
 * A job ends only after a full sweep of the DLQ. Letters it does not move (not selected, its own
 * copies that failed again, failed ones) are held in flight while it looks further, released
 * (visibility 0) before their lease runs out and at the end, and counted as `skipped`. On a FIFO
 * DLQ a held letter blocks the rest of its group, so each group is reopened on its own in turn
 * until a pass moves nothing more; letters still unreachable then end the job `incomplete`.
 */

/**
 * The MessageDeduplicationId of a FIFO replay: sha256 hex of job and message id, 64 characters
 * (SQS allows 128). It differs from the original's, so a replay within the 5-minute deduplication
 * interval is not dropped as a duplicate of the original (SQS Developer Guide, "Exactly-once
 * processing in Amazon SQS"); it stays the same when the job resends a message, so SQS drops a
 * second copy sent within those 5 minutes, and only then: "duplicates are accepted successfully but
 * aren't delivered during the 5-minute deduplication interval" (SQS API Reference, SendMessage,
 * MessageDeduplicationId). A later resend may be delivered twice (see resendMayDuplicate).
 */
export function replayDeduplicationId(jobId: string, messageId: string): string {
  return createHash("sha256").update(`${jobId}:${messageId}`).digest("hex");
}

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
  /** This runner's name in the job's owner column; tests run two runners in one process. */
  owner?: string;
  /** Epoch milliseconds; injectable for tests. */
  now?: () => number;
  /** How often the runner renews its claim (default 5 s, well inside the 20 s a claim goes stale after). */
  heartbeatMs?: number;
}

/** Two receives in a row that bring nothing new (the second a long poll, which asks every SQS server) end a pass. */
const IDLE_RECEIVES_TO_END_PASS = 2;
const DEPTH_REFRESH_MS = 5_000;
const SEND_ATTEMPTS = 4;
/**
 * A claim not renewed for this long is the claim of a runner that is gone (a replica killed, a
 * machine lost): another replica takes the job over then, within about half a minute of the end.
 */
export const CLAIM_STALE_MS = 20_000;
const HEARTBEAT_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The runs of this process, for a shutdown to stop. */
const runs = processSingleton("redriveEngineRuns", () => new Set<Run>());

/**
 * Stops every run of this process before its next send or delete, as a lost claim does (graceful
 * shutdown): each lets go of the letters it hid and of its claim, for another replica to take at once.
 */
export function stopRunsInThisProcess(): void {
  for (const run of runs) run.stop();
}

/** A holder is gone when it ran on this host and its process no longer exists, or it stopped beating. */
function ownerIsGone(job: RedriveJob, now: number): boolean {
  if (!job.owner) return true;
  const [host, pid] = job.owner.split("/");
  if (host === replicaName() && pid && Number(pid) !== process.pid) {
    try {
      process.kill(Number(pid), 0);
    } catch {
      return true;
    }
  }
  return job.heartbeatAt === undefined || now - job.heartbeatAt > CLAIM_STALE_MS;
}

/** Whether a running job may be taken by a runner other than its holder: nobody holds it, or its holder is gone. */
export const isClaimable = (job: RedriveJob, now: number): boolean =>
  job.status === "running" && (!job.owner || ownerIsGone(job, now));

/** Takes the job for `owner` (a new claim, with the next fencing token), or says it is someone else's (or no longer running). */
async function claim(
  db: Store,
  jobId: string,
  owner: string,
  now: number,
): Promise<{ job: RedriveJob; claim: JobClaim } | undefined> {
  const job = await getRedriveJob(db, jobId);
  if (!job || job.status !== "running") return undefined;
  if (job.owner && job.owner !== owner && !ownerIsGone(job, now)) return undefined;
  const claimed = await claimRedriveJob(db, jobId, owner, job.owner ?? null, now);
  const taken = claimed && (await getRedriveJob(db, jobId));
  return taken ? { job: taken, claim: claimed } : undefined;
}

type Disposition = "send" | "delete" | "hold";

/** A failure the job must not carry on from. */
class StopJob extends Error {}

/** Another runner holds the job now: this one must not send or delete anything more. */
class LostOwnership extends Error {}

interface Held {
  receiptHandle: string;
  heldAt: number;
  group?: string;
}

class Run {
  private readonly items = new Map<string, RedriveItem>();
  /** Ids of the copies this job sent: such a message back in the DLQ is a replay that failed again. */
  private readonly copies = new Set<string>();
  /** Dead letters this job keeps hidden because they are not its to move. */
  private readonly held = new Map<string, Held>();
  /** Every dead letter received from the DLQ; a pass ends when receives bring none new. */
  private readonly examined = new Set<string>();
  /** Examined letters the job leaves in the DLQ: not selected, or its own copies back again. */
  private readonly skipped = new Set<string>();
  private readonly filter?: CompiledPolicy;
  private readonly wanted?: Set<string>;
  private batches = 0;
  private depthCheckedAt = 0;
  private readonly startedAt: number;
  private lost = false;

  constructor(
    private readonly db: Store,
    private readonly claim: JobClaim,
    private job: RedriveJob,
    private readonly ctx: OperationContext,
    private readonly hooks: EngineHooks,
    private readonly now: () => number,
    items: RedriveItem[],
  ) {
    this.startedAt = now();
    for (const item of items) {
      this.items.set(item.messageId, item);
      this.examined.add(item.messageId);
      if (item.targetMessageId) this.copies.add(item.targetMessageId);
    }
    if (job.selection.kind === "filter") {
      const compiled = compileFilterPolicy(job.selection.policy, job.selection.scope);
      if (!compiled.ok) throw new AppError("validation", `filter: ${compiled.error.reason}`);
      this.filter = compiled.policy;
    }
    if (job.selection.kind === "ids") this.wanted = new Set(job.selection.ids);
  }

  /** The job's environment's clients: the context is the job's own (ensureRunning checks). */
  private get clients(): AwsClients {
    return this.ctx.aws.clients;
  }

  private get leaseMs() {
    return this.job.leaseSeconds * 1000;
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
    if (state === "failed") return "hold";
    if (this.copies.has(m.messageId) || !this.selected(m)) {
      this.skipped.add(m.messageId);
      return "hold";
    }
    return "send";
  }

  /**
   * Renews the claim and checks, compare-and-set, that this runner still holds the job: called
   * right before every send and delete, so a runner that lost the job touches no message again.
   */
  private async assertOwner() {
    if (this.lost || !(await heartbeatRedriveJob(this.db, this.job.id, this.claim, this.now()))) {
      this.lost = true;
      throw new LostOwnership(`job ${this.job.id} is held by another runner`);
    }
  }

  /** Stops the run at its next check, as if another runner had taken the job. */
  stop() {
    this.lost = true;
  }

  /** The timer's heartbeat: a beat that changes no row means the job was taken over. */
  async beat() {
    if (!this.lost && !(await heartbeatRedriveJob(this.db, this.job.id, this.claim, this.now()))) this.lost = true;
  }

  private async record(updates: Parameters<typeof recordRedriveItems>[2]) {
    const now = this.now();
    await recordRedriveItems(this.db, this.job.id, updates, now);
    for (const u of updates) {
      const before = this.items.get(u.messageId);
      const firstSentAt = before?.firstSentAt ?? (u.state === "sending" ? now : undefined);
      this.items.set(u.messageId, {
        messageId: u.messageId,
        state: u.state,
        attempts: (before?.attempts ?? 0) + (u.state === "sending" ? 1 : 0),
        ...((u.targetMessageId ?? before?.targetMessageId)
          ? { targetMessageId: u.targetMessageId ?? before?.targetMessageId }
          : {}),
        ...(firstSentAt !== undefined ? { firstSentAt } : {}),
        ...(u.error ? { error: u.error } : {}),
      });
      if (u.targetMessageId) this.copies.add(u.targetMessageId);
    }
  }

  private hold(m: ReceivedMessage) {
    this.held.set(m.messageId, {
      receiptHandle: m.receiptHandle,
      heldAt: this.now(),
      ...(m.attributes.MessageGroupId ? { group: m.attributes.MessageGroupId } : {}),
    });
  }

  /** Handles one set of received dead letters; returns how many were new to the job and how many it sent or deleted. */
  async process(messages: ReceivedMessage[]): Promise<{ fresh: number; acted: number }> {
    let fresh = 0;
    const toSend: ReceivedMessage[] = [];
    const toDelete: ReceivedMessage[] = [];
    for (const m of messages) {
      if (!this.examined.has(m.messageId)) fresh++;
      this.examined.add(m.messageId);
      const disposition = this.dispositionOf(m);
      if (disposition === "send") toSend.push(m);
      else if (disposition === "delete") toDelete.push(m);
      else this.hold(m);
    }
    const confirmed: ReceivedMessage[] = [];
    try {
      const { byTarget, unplaced } = this.place(toSend);
      if (unplaced.length) {
        await this.record(
          unplaced.map(({ m, reason }) => ({ messageId: m.messageId, state: "failed" as const, error: reason })),
        );
        for (const { m } of unplaced) this.hold(m);
        if (this.job.dlq.fifo) {
          // As for a failed send: the group's later letters must not go before this one.
          throw new StopJob(
            `A FIFO dead letter could not be placed (${unplaced[0]!.reason}); the job stopped so that its group keeps its order.`,
          );
        }
      }
      for (const { target, messages: letters } of byTarget.values()) await this.send(letters, confirmed, target);
    } catch (err) {
      if (err instanceof StopJob) {
        // The letters not sent yet are released with the held ones rather than left hidden for the lease.
        const done = new Set(confirmed.map((m) => m.messageId));
        for (const m of toSend) if (!done.has(m.messageId) && !this.held.has(m.messageId)) this.hold(m);
      }
      throw err;
    } finally {
      // Also when the send stopped the job: a dead letter whose copy SQS confirmed must not stay
      // in the DLQ, where the next job would send it again with a new deduplication id.
      const deletions = [...toDelete, ...confirmed];
      if (deletions.length) await this.delete(deletions);
    }
    return { fresh, acted: toSend.length + toDelete.length };
  }

  /** Splits letters by the queue each goes to, in order; letters that name no usable source are `unplaced`. */
  private place(messages: ReceivedMessage[]) {
    const byTarget = new Map<string, { target: ReplayTarget; messages: ReceivedMessage[] }>();
    const unplaced: { m: ReceivedMessage; reason: string }[] = [];
    for (const m of messages) {
      const where = targetOfLetter(this.job.target, this.job.sources ?? [], m.attributes.DeadLetterQueueSourceArn);
      if (!where.ok) {
        unplaced.push({ m, reason: where.reason });
        continue;
      }
      const group = byTarget.get(where.target.arn) ?? { target: where.target, messages: [] };
      group.messages.push(m);
      byTarget.set(where.target.arn, group);
    }
    return { byTarget, unplaced };
  }

  /** Sends copies chunk by chunk; each dead letter whose copy SQS confirmed is pushed to `confirmed` at once. */
  private async send(messages: ReceivedMessage[], confirmed: ReceivedMessage[], target: ReplayTarget): Promise<void> {
    const byEntryId = new Map<string, ReceivedMessage>();
    const entries = messages.map((m, index) => {
      const entry = buildReplayEntry(m, {
        fifo: this.job.dlq.fifo,
        index,
        deduplicationId: this.job.dlq.fifo ? replayDeduplicationId(this.job.id, m.messageId) : undefined,
        ...(target.maximumMessageSize ? { maxMessageSize: target.maximumMessageSize } : {}),
        ...(this.job.edits ? { edits: this.job.edits } : {}),
      });
      byEntryId.set(entry.id, m);
      return entry;
    });
    const now = this.now();
    await this.record(
      messages.map((m) => {
        const before = this.items.get(m.messageId);
        return {
          messageId: m.messageId,
          state: "sending" as const,
          resent: before?.state === "sending" && resendMayDuplicate(this.job.dlq.fifo, before.firstSentAt, now),
        };
      }),
    );
    this.batches++;
    for (const chunk of chunkEntries(entries)) {
      await this.assertOwner();
      const { sent, failed, maybeTwice } = await this.sendWithRetry(chunk, target);
      for (const id of sent.keys()) confirmed.push(byEntryId.get(id)!);
      await this.hooks.afterSendRequest?.(this.batches);
      await this.record([
        ...[...sent].map(([id, copyId]) => ({
          messageId: byEntryId.get(id)!.messageId,
          state: "sent" as const,
          targetMessageId: copyId,
          resent: maybeTwice.has(id),
        })),
        ...[...failed].map(([id, reason]) => ({
          messageId: byEntryId.get(id)!.messageId,
          state: "failed" as const,
          error: reason,
        })),
      ]);
      for (const id of failed.keys()) this.hold(byEntryId.get(id)!);
      if (failed.size && this.job.dlq.fifo) {
        // Sending the group's next message after one that failed would break the group's order.
        const [first] = failed.values();
        throw new StopJob(
          `A FIFO dead letter could not be sent (${first}); the job stopped so that its group keeps its order.`,
        );
      }
    }
    await this.hooks.afterSendRecorded?.(this.batches);
  }

  /**
   * Sends a chunk; entries that fail for a retryable reason are resent alone, with backoff.
   * `maybeTwice`: entries of a standard queue sent by a request the SDK had to repeat (an answer
   * lost on the way may mean the first one was carried out), reported as possible duplicates;
   * on FIFO the deduplication id makes SQS drop the second copy.
   */
  private async sendWithRetry(
    chunk: ReplayEntry[],
    target: ReplayTarget,
  ): Promise<{ sent: Map<string, string>; failed: Map<string, string>; maybeTwice: Set<string> }> {
    const sent = new Map<string, string>();
    const failed = new Map<string, string>();
    const maybeTwice = new Set<string>();
    let pending = chunk;
    for (let attempt = 1; pending.length && attempt <= SEND_ATTEMPTS; attempt++) {
      if (attempt > 1) await this.assertOwner();
      const result = await sendMessageBatch(target.url, pending, this.clients);
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

  /** The one place where dead letters are confirmed deleted from the DLQ, a batch at a time. */
  private async delete(messages: ReceivedMessage[]) {
    await deleteMessages(this.job.dlq.url, messages, this.clients, {
      before: () => this.assertOwner(),
      after: async (batch, deleted) => {
        // A failed delete (an expired receipt handle) leaves the item `sent`: deleted when seen again.
        await this.record(deleted.map((m) => ({ messageId: m.messageId, state: "moved" as const })));
        await recordDlqRemoval(this.db, this.job.scope, this.job.dlq.name, deleted.length, "redrive");
        for (const m of batch) this.held.delete(m.messageId);
        dropJobHolds(
          this.job.id,
          batch.map((m) => m.messageId),
        );
      },
    });
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

  private failedItems(): number {
    let n = 0;
    for (const item of this.items.values()) if (item.state === "failed") n++;
    return n;
  }

  /** Letters left to move: the DLQ's depth without the ones the job has seen and leaves there. */
  private remaining(depth?: number): number | undefined {
    if (this.wanted) return this.unresolvedWanted().length;
    return depth === undefined ? undefined : Math.max(0, depth - this.skipped.size - this.failedItems());
  }

  private progress(depth?: number) {
    const remaining = this.remaining(depth);
    return {
      examined: this.examined.size,
      skipped: this.skipped.size,
      ...(remaining !== undefined ? { remaining } : {}),
    };
  }

  /** Re-reads the job: a pause or cancel from the API arrives through the store. */
  private async refresh(): Promise<RedriveJob> {
    this.job = (await getRedriveJob(this.db, this.job.id))!;
    return this.job;
  }

  /** Makes held letters visible again (all, or those `which` picks). */
  private async release(which: (h: Held) => boolean = () => true) {
    const handles: string[] = [];
    const ids: string[] = [];
    for (const [id, h] of this.held) {
      if (!which(h)) continue;
      handles.push(h.receiptHandle);
      ids.push(id);
      this.held.delete(id);
    }
    dropJobHolds(this.job.id, ids);
    // An expired handle means the message is visible already: nothing to release.
    if (handles.length) await setVisibility(this.job.dlq.url, handles, 0, this.clients).catch(() => undefined);
  }

  /** Releases held letters before their lease runs out, so none stays hidden by a lease nobody renews. */
  private releaseExpiring() {
    const margin = Math.min(10_000, this.leaseMs / 3);
    const now = this.now();
    return this.release((h) => now - h.heldAt >= this.leaseMs - margin);
  }

  private async receive(max: number, waitSeconds: number) {
    const receivedAt = Date.now();
    const messages = await receiveMessages(
      this.job.dlq.url,
      { max, visibilitySeconds: this.job.leaseSeconds, waitSeconds },
      this.clients,
    );
    // Hidden from the receive on (SQS counts the visibility timeout from then), shown on the DLQ page.
    noteJobHolds(
      this.job.id,
      messages.map((m) => m.messageId),
      receivedAt + this.leaseMs,
    );
    return messages;
  }

  /**
   * FIFO: a held letter hides the rest of its group, so each group with held letters is reopened
   * on its own (its letters released, the others kept) and received again, until a receive brings
   * nothing new. SQS returns up to 10 of a group, in order, to a receive; a group whose 10 first
   * letters are all left behind keeps the rest out of reach.
   */
  private async reopenGroups(): Promise<{ progress: boolean; blocked: Set<string> }> {
    const blocked = new Set<string>();
    let progress = false;
    const groups = new Set([...this.held.values()].flatMap((h) => (h.group ? [h.group] : [])));
    for (const group of groups) {
      // A pause or cancel is handled by the main loop; it reopens the groups again later.
      if ((await this.refresh()).status !== "running") return { progress: true, blocked };
      for (;;) {
        await this.release((h) => h.group === group);
        const messages = await this.receive(10, 0);
        const { fresh, acted } = await this.process(messages);
        if (fresh || acted) {
          progress = true;
          continue;
        }
        if (messages.length >= 10) blocked.add(group);
        break;
      }
    }
    return { progress, blocked };
  }

  async run(handoff: ReceivedMessage[]): Promise<RedriveJob | undefined> {
    let idleReceives = 0;
    let backoffMs = 500;
    /** Letters the job saw or acted on since the last check of the DLQ's depth at the end of a pass. */
    let passProgress = false;
    let handedOff = handoff;
    try {
      for (;;) {
        let status = (await this.refresh()).status;
        if (status !== "running") {
          await this.release();
          // A resume while the held letters were being released: carry on rather than leave it without a runner.
          status = (await this.refresh()).status;
          if (status === "running") continue;
          if (status === "cancelled")
            await updateRedriveJob(this.db, this.job.id, { finishedAt: new Date().toISOString(), note: "" });
          return await this.refresh();
        }
        await this.assertOwner();
        if (this.wanted && this.unresolvedWanted().length === 0) return this.complete();
        try {
          if (handedOff.length) {
            // The requester's leased letters first, without a receive; a stop here ends the job like any other.
            const letters = handedOff;
            handedOff = [];
            await this.process(letters);
            continue;
          }
          await this.releaseExpiring();
          const rate = rampedRate((this.now() - this.startedAt) / 1000, this.job.ratePerSecond ?? 0);
          const max = Number.isFinite(rate) ? Math.max(1, Math.min(10, Math.floor(rate))) : 10;
          const began = Date.now();
          const messages = await this.receive(max, idleReceives > 0 ? 1 : 0);
          const { fresh, acted } = await this.process(messages);
          if (fresh || acted) passProgress = true;
          idleReceives = fresh === 0 && acted === 0 ? idleReceives + 1 : 0;
          backoffMs = 500;
          if (idleReceives >= IDLE_RECEIVES_TO_END_PASS) {
            idleReceives = 0;
            const depth = await queueDepth(this.job.dlq.url, this.clients);
            const othersInFlight = depth.inFlight - this.held.size;
            const pending = this.pendingItems();
            if (pending > 0 || othersInFlight > 0) {
              await updateRedriveJob(this.db, this.job.id, {
                ...this.progress(depth.visible + depth.inFlight + depth.delayed),
                note:
                  `Waiting for ${Math.max(pending, othersInFlight)} dead letter(s) in flight ` +
                  `(in someone's read lease or an interrupted run) to become visible again.`,
              });
              await sleep(1000);
              continue;
            }
            // Full sweep: nothing visible or delayed is left that the job has not seen.
            if (depth.visible + depth.delayed === 0) return this.complete();
            if (!this.job.dlq.fifo) {
              // Every letter in the DLQ is one the job has seen and leaves there (some released
              // again before their lease ran out): nothing is left to find.
              if (depth.visible + depth.inFlight + depth.delayed <= this.skipped.size + this.failedItems())
                return this.complete();
              // A standard queue hides nothing behind a held letter: the rest comes with more receives.
              await sleep(500);
              continue;
            }
            const reopened = await this.reopenGroups();
            if (reopened.progress || passProgress) {
              passProgress = false;
              continue;
            }
            const after = await queueDepth(this.job.dlq.url, this.clients);
            if (after.visible + after.delayed === 0) return this.complete();
            return this.incomplete(after.visible + after.delayed, reopened.blocked);
          }
          if (this.now() - this.depthCheckedAt > DEPTH_REFRESH_MS || this.wanted) {
            const depth = this.wanted ? undefined : await queueDepth(this.job.dlq.url, this.clients);
            this.depthCheckedAt = this.now();
            await updateRedriveJob(this.db, this.job.id, {
              ...this.progress(depth ? depth.visible + depth.inFlight + depth.delayed : undefined),
              note: "",
            });
          }
          const wait = pacingDelayMs(acted, rate, Date.now() - began);
          if (wait > 0) await sleep(wait);
        } catch (err) {
          if (err instanceof LostOwnership) throw err;
          const appError =
            err instanceof AppError ? err : new AppError("internal", err instanceof Error ? err.message : String(err));
          if (
            !(err instanceof StopJob) &&
            (appError.code === "throttled" || appError.code === "upstream_unavailable")
          ) {
            // Throttled or unreachable: back off and carry on; received dead letters reappear after the lease.
            await updateRedriveJob(this.db, this.job.id, {
              note: `Backing off ${Math.round(backoffMs / 1000)} s: ${appError.message}`,
            });
            await sleep(backoffMs);
            backoffMs = Math.min(backoffMs * 2, 30_000);
            continue;
          }
          await this.release();
          await updateRedriveJob(
            this.db,
            this.job.id,
            { ...this.progress(), status: "failed", error: appError.message, finishedAt: new Date().toISOString() },
            "running",
          );
          return await this.finish("failure", appError.message);
        }
      }
    } catch (err) {
      if (!(err instanceof LostOwnership)) throw err;
      // Another runner holds the job: it decides how the job ends. Only let go of what this one hid.
      await this.release();
      return undefined;
    }
  }

  /** The sweep found every letter: the selected ones moved or failed for a reason of their own. */
  private async complete(): Promise<RedriveJob> {
    if (this.wanted) {
      const missing = this.unresolvedWanted();
      if (missing.length)
        await this.record(
          missing.map((messageId) => ({
            messageId,
            state: "failed" as const,
            error: "not found in the DLQ (deleted, expired or moved by someone else)",
          })),
        );
    }
    await this.release();
    await updateRedriveJob(
      this.db,
      this.job.id,
      { ...this.progress(), status: "completed", finishedAt: new Date().toISOString(), note: "", remaining: 0 },
      "running",
    );
    return await this.finish("success");
  }

  /** The sweep ended with `unreachable` letters hidden behind held ones in their FIFO groups. */
  private async incomplete(unreachable: number, blocked: Set<string>): Promise<RedriveJob> {
    const groups = [
      ...(blocked.size ? blocked : new Set([...this.held.values()].flatMap((h) => (h.group ? [h.group] : [])))),
    ].sort();
    const where = groups.length ? ` in message group${groups.length === 1 ? "" : "s"} ${groups.join(", ")}` : "";
    const why =
      `${unreachable} dead letter(s)${where} could not be reached: on a FIFO queue ` +
      `SQS returns a group's later messages only after its earlier ones are deleted, ` +
      `and at least 10 letters at the head of ${groups.length === 1 ? "that group" : "each"} are ones this job does not move.`;
    if (this.wanted) {
      const missing = this.unresolvedWanted();
      if (missing.length)
        await this.record(
          missing.map((messageId) => ({ messageId, state: "failed" as const, error: `not reached: ${why}` })),
        );
    }
    await this.release();
    await updateRedriveJob(
      this.db,
      this.job.id,
      {
        ...this.progress(),
        remaining: this.wanted ? 0 : unreachable,
        status: "incomplete",
        finishedAt: new Date().toISOString(),
        note: why,
      },
      "running",
    );
    return await this.finish("failure", why);
  }

  private async finish(outcome: "success" | "failure", detail?: string): Promise<RedriveJob> {
    const job = await this.refresh();
    await auditFinish(this.ctx, job, outcome, detail);
    return job;
  }
}

/** The audit entry of a job that ended, whichever engine ran it, in the job's environment (the context's). */
async function auditFinish(
  ctx: OperationContext,
  job: RedriveJob,
  outcome: "success" | "failure",
  detail?: string,
): Promise<void> {
  // The job carries on its starter's request: its row names them, as the start's row does.
  await recordAudit(
    {
      actor: { name: job.actor, role: job.role },
      requestId: job.requestId,
      environment: ctx.environment,
      aws: ctx.aws,
    },
    {
      action: "dead-letters.redrive.finish",
      target: job.dlq.arn,
      after: {
        jobId: job.id,
        engine: job.engine,
        status: job.status,
        moved: job.moved,
        failed: job.failed,
        resent: job.resent,
        examined: job.examined,
        skipped: job.skipped,
        target: job.target?.name ?? null,
      },
      outcome,
      ...(detail ? { detail } : {}),
    },
  );
}

/**
 * Runs (or resumes) a job in this process until it completes, fails, or is paused or cancelled
 * through the store. Returns undefined when another live process holds the job.
 */
export async function runRedriveJob(
  ctx: OperationContext,
  jobId: string,
  options: RunOptions = {},
): Promise<RedriveJob | undefined> {
  const owner = options.owner ?? processOwner;
  const now = options.now ?? Date.now;
  const db = await getStore();
  const claimed = await claim(db, jobId, owner, now());
  if (!claimed) return undefined;
  const run = new Run(db, claimed.claim, claimed.job, ctx, options.hooks ?? {}, now, await listRedriveItems(db, jobId));
  runs.add(run);
  // The claim is renewed from a timer too, so a long AWS call cannot let it go stale unnoticed. A beat
  // the store cannot take is not a lost claim: the check before the next send or delete decides.
  const heartbeat = setInterval(() => void run.beat().catch(() => undefined), options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();
  startJobHolds(jobId);
  try {
    return await run.run(options.handoff ?? []);
  } finally {
    endJobHolds(jobId);
    clearInterval(heartbeat);
    runs.delete(run);
    await releaseRedriveJob(db, jobId, claimed.claim);
  }
}

const MOVE_TASK_POLL_MS = 2_000;

/**
 * SQS's own redrive (StartMessageMoveTask), for a plain full redrive where the endpoint offers
 * it: SQS moves the messages; the job mirrors the task's progress from ListMessageMoveTasks. A
 * move task cannot be paused, only cancelled (SQS API Reference, CancelMessageMoveTask).
 */
async function followMoveTask(ctx: OperationContext, db: Store, jobId: string, held: JobClaim): Promise<RedriveJob> {
  const { clients } = ctx.aws;
  let job = (await getRedriveJob(db, jobId))!;
  if (!job.taskHandle) {
    // Checked when the job was created; a job stored before that check could hold any rate.
    const rateProblem = job.ratePerSecond === undefined ? undefined : moveTaskRateProblem(job.ratePerSecond);
    if (rateProblem) throw new AppError("validation", `ratePerSecond: ${rateProblem}`);
    const handle = await startMessageMoveTask(job.dlq.arn, job.target?.arn, job.ratePerSecond, clients);
    await updateRedriveJob(db, jobId, { taskHandle: handle });
  }
  for (;;) {
    if (!(await heartbeatRedriveJob(db, jobId, held))) return (await getRedriveJob(db, jobId))!;
    const task = await latestMessageMoveTask(job.dlq.arn, clients);
    job = (await getRedriveJob(db, jobId))!;
    if (task) {
      const remaining = task.toMove !== undefined ? Math.max(0, task.toMove - task.moved) : undefined;
      const finished = moveTaskOutcome[task.status];
      await updateRedriveJob(db, jobId, {
        moved: task.moved,
        ...(remaining !== undefined ? { remaining } : {}),
        ...(finished
          ? {
              status: finished,
              finishedAt: new Date().toISOString(),
              ...(task.failureReason ? { error: task.failureReason } : {}),
            }
          : {}),
      });
      if (finished) {
        const ended = (await getRedriveJob(db, jobId))!;
        // The same record an engine job leaves when it ends (security review L5).
        await auditFinish(ctx, ended, finished === "failed" ? "failure" : "success", task.failureReason);
        return ended;
      }
    }
    await sleep(MOVE_TASK_POLL_MS);
  }
}

const moveTaskOutcome: Record<string, RedriveJob["status"] | undefined> = {
  COMPLETED: "completed",
  CANCELLED: "cancelled",
  FAILED: "failed",
};

/** Follows a job that SQS's message move task runs; undefined when another live process follows it. */
export async function runMoveTaskJob(ctx: OperationContext, jobId: string): Promise<RedriveJob | undefined> {
  const db = await getStore();
  const claimed = await claim(db, jobId, processOwner, Date.now());
  if (!claimed) return undefined;
  try {
    return await followMoveTask(ctx, db, jobId, claimed.claim);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const failed = await updateRedriveJob(
      db,
      jobId,
      { status: "failed", error: message, finishedAt: new Date().toISOString() },
      "running",
    );
    const job = await getRedriveJob(db, jobId);
    if (failed && job) await auditFinish(ctx, job, "failure", message);
    return job;
  } finally {
    await releaseRedriveJob(db, jobId, claimed.claim);
  }
}
