import "server-only";
import { createHmac, randomUUID } from "node:crypto";
import { AppError } from "../domain/app-error";
import {
  checkLeaseAllowed,
  LEASE_SECONDS,
  liveSpans,
  VIEWER_LEASE_LIMITS,
  viewerLeaseSeconds,
  viewerRenewalEnd,
} from "../domain/dead-letter-lease";
import type { LeaseRecord, TakenOver } from "../domain/lease-holds";
import {
  decodeMessage,
  revealValue,
  type DeadLetterMessage,
  type ReceivedMessage,
} from "../domain/dead-letter-message";
import { maskByPolicy } from "../domain/masking-policy";
import type { QueueDescription } from "../domain/dead-letters";
import { roleAtLeast } from "../domain/roles";
import { deleteMessages, describeQueue, purgeQueue, receiveMessages, setVisibility } from "../aws/sqs";
import { seal, sealingKey, unseal, UnsealError } from "../sealing";
import { getStore, listRedriveJobs, recordDlqRemoval, type Store } from "../store";
import {
  addLeaseLetters,
  currentDeadLetterLease,
  endDeadLetterLeases,
  endLeasesOnQueue,
  extendDeadLetterLease,
  latestDeadLetterLease,
  leaseLetters,
  liveLeasesOnQueue,
  openDeadLetterLease,
  recentLeaseSpans,
  takeLeaseLetters,
  type DeadLetterLease,
  type LeaseOwner,
  type SealedLetter,
} from "../store/dead-letter-leases";
import { auditedChange, recordAudit } from "./audited";
import { isDeadLetterQueue } from "./dead-letters";
import { maskingOn, maskingView, requireReveal, type MaskingView } from "./dead-letter-masking";
import { scopeOfContext, type OperationContext } from "./context";

/**
 * Reading dead letters safely. SQS has no peek and no offset, so a read is a lease: the server
 * receives messages with a visibility timeout, keeps them, receipt handles included, for that user
 * and queue, and releases them (visibility 0) when the user closes the view; replay and delete act
 * on the leased handles. Leases live in the store (lib/store/dead-letter-leases.ts), their letters
 * sealed with the server secret, so any replica, or the same console after a restart, renews, uses
 * and releases a lease another opened. A lease nobody releases ends when its visibility timeout
 * runs out: SQS then lets the letters go by itself.
 */

export { LEASE_SECONDS, VIEWER_LEASE_LIMITS };
/** The most messages an operator's lease holds; a viewer's holds VIEWER_LEASE_LIMITS.messages. */
export const MAX_LEASED = 1000;

export interface LeaseView {
  leaseId: string;
  queue: Pick<QueueDescription, "name" | "arn" | "fifo" | "retentionSeconds" | "visible" | "inFlight" | "delayed"> & {
    maxReceiveCount?: number;
  };
  expiresAt: string;
  messages: DeadLetterMessage[];
  /** The lease stopped at the requested maximum: more messages may be waiting. */
  limited: boolean;
  notes: string[];
  /** The masking policy in force on the queue: what is hidden here and why, and whether this caller may reveal. */
  masking: MaskingView;
}

const ownerOf = (ctx: OperationContext, queueName: string): LeaseOwner => ({
  scope: scopeOfContext(ctx),
  user: ctx.actor.name,
  queueName,
});

/** The key letters are sealed with in the store, derived from the server secret that every replica shares. */
const letterKey = (ctx: OperationContext) => sealingKey(ctx.settings.serverSecret(), "dead-letter leases");

/** Where a sealed letter belongs: it opens only in its own lease, under its own id. */
const letterPlace = (leaseId: string, messageId: string) => `${leaseId}\u0000${messageId}`;

function sealLetters(ctx: OperationContext, leaseId: string, messages: Iterable<ReceivedMessage>): SealedLetter[] {
  const key = letterKey(ctx);
  return [...messages].map((m) => ({
    messageId: m.messageId,
    sealed: seal(key, JSON.stringify(m), letterPlace(leaseId, m.messageId)),
  }));
}

/** A lease as far as its letters need: its id (where they are sealed) and its queue. */
type LeaseRef = Pick<DeadLetterLease, "id" | "queue">;

function unsealLetters(ctx: OperationContext, lease: LeaseRef, letters: SealedLetter[]): ReceivedMessage[] {
  const key = letterKey(ctx);
  const queueName = lease.queue.name;
  try {
    return letters.map((l) => JSON.parse(unseal(key, l.sealed, letterPlace(lease.id, l.messageId))) as ReceivedMessage);
  } catch (err) {
    if (!(err instanceof UnsealError)) throw err;
    throw new AppError(
      "conflict",
      `Your lease on ${queueName} was opened by a console with another server secret (NEXTAUTH_SECRET), ` +
        "so its letters cannot be read here. Give every replica the same secret, then load the messages again.",
    );
  }
}

const decodeLetter = (m: ReceivedMessage, queue: QueueDescription) =>
  decodeMessage(m, { retentionSeconds: queue.retentionSeconds, fifo: queue.fifo });

/** A letter as it leaves the server: masked by the policy in force on its queue. */
function decodeForView(ctx: OperationContext, m: ReceivedMessage, queue: QueueDescription): DeadLetterMessage {
  return maskByPolicy(decodeLetter(m, queue), maskingOn(ctx, queue.arn).policy);
}

function viewOf(
  ctx: OperationContext,
  lease: DeadLetterLease,
  messages: ReceivedMessage[],
  limited: boolean,
  masking: MaskingView,
  extraNotes: string[] = [],
): LeaseView {
  const q = lease.queue;
  const notes: string[] = [...extraNotes];
  if (q.fifo) {
    notes.push(
      "FIFO queue: while a message is leased, the rest of its message group is held back, " +
        "so one read sees at most ten messages of each group. Close the view to release them.",
    );
  }
  if (q.redrivePolicy) {
    notes.push(
      `This is a source queue: this read counted as one receive toward its maxReceiveCount (${q.redrivePolicy.maxReceiveCount}).`,
    );
  }
  return {
    leaseId: lease.id,
    queue: {
      name: q.name,
      arn: q.arn,
      fifo: q.fifo,
      retentionSeconds: q.retentionSeconds,
      visible: q.visible,
      inFlight: q.inFlight,
      delayed: q.delayed,
      ...(q.redrivePolicy ? { maxReceiveCount: q.redrivePolicy.maxReceiveCount } : {}),
    },
    expiresAt: new Date(lease.span.end).toISOString(),
    messages: messages.map((m) => decodeForView(ctx, m, q)),
    limited,
    notes,
    masking,
  };
}

/** The receipt handles of a lease's sealed letters. */
const handlesOf = (ctx: OperationContext, lease: LeaseRef, letters: SealedLetter[]) =>
  unsealLetters(ctx, lease, letters).map((m) => m.receiptHandle);

/**
 * Makes released letters visible again at once (SQS API Reference, ChangeMessageVisibility: 0); how
 * many SQS showed. When SQS fails, they show at their lease's end anyway.
 */
async function releaseLetters(ctx: OperationContext, lease: LeaseRef, letters: SealedLetter[]): Promise<number> {
  if (letters.length === 0) return 0;
  return setVisibility(lease.queue.url, handlesOf(ctx, lease, letters), 0, ctx.aws.clients).catch(() => 0);
}

/**
 * Leases up to `max` messages of a queue for this user (replacing their earlier lease on it). Who
 * may lease what, and how much, is in `lib/domain/dead-letter-lease.ts`: a viewer only a
 * dead-letter queue and within caps; any other queue needs an operator, a source queue an operator
 * who confirms (every receive counts toward its maxReceiveCount). Each lease is audited: it reads
 * message contents.
 */
export async function openLease(
  ctx: OperationContext,
  queueName: string,
  options: { max: number; confirmSourceRead: boolean },
  now = Date.now(),
): Promise<LeaseView> {
  const queue = await describeQueue(queueName, ctx.aws.clients);
  const deadLetter = await isDeadLetterQueue(ctx, queue);
  checkLeaseAllowed(
    ctx.actor.role,
    { name: queueName, deadLetter, ...(queue.redrivePolicy ? { source: queue.redrivePolicy } : {}) },
    options.confirmSourceRead,
  );
  // Before anything is received: a lookup that fails (the queue's tags) leaves no lease behind.
  const masking = await maskingView(ctx, queue);
  const capped = !roleAtLeast(ctx.actor.role, "operator");
  const notes: string[] = [];
  let max = Math.max(1, Math.min(MAX_LEASED, options.max));
  if (capped && max > VIEWER_LEASE_LIMITS.messages) {
    max = VIEWER_LEASE_LIMITS.messages;
    notes.push(
      `A viewer leases at most ${VIEWER_LEASE_LIMITS.messages} messages at a time, for ` +
        `at most ${VIEWER_LEASE_LIMITS.secondsPerHour / 60} minutes per queue per hour.`,
    );
  }
  const store = await getStore();
  // Stamped before the first receive: the first message's visibility runs out first, and the
  // store must not believe a handle is good after SQS has let the message go. Leases being opened
  // count toward a viewer's caps as soon as their row is written.
  const { lease, earlier } = await openDeadLetterLease(
    store,
    ownerOf(ctx, queueName),
    { id: randomUUID(), queue, deadLetter, capped },
    (lately) =>
      (capped ? viewerLeaseSeconds(queueName, liveSpans(lately.spans, now), lately.otherLeases, now) : LEASE_SECONDS) *
      1000,
    now,
  );
  // The earlier lease on this queue ended: its letters are visible again before new ones are received.
  for (const e of earlier) await releaseLetters(ctx, e, e.letters);
  const seconds = Math.round((lease.span.end - lease.span.start) / 1000);
  const messages = new Map<string, ReceivedMessage>();
  try {
    for (let empty = 0; messages.size < max && empty < 2;) {
      const batch = await receiveMessages(
        queue.url,
        {
          max: Math.min(10, max - messages.size),
          visibilitySeconds: seconds,
          waitSeconds: empty > 0 || messages.size === 0 ? 1 : 0,
        },
        ctx.aws.clients,
      );
      let fresh = 0;
      for (const m of batch) {
        if (!messages.has(m.messageId)) fresh++;
        messages.set(m.messageId, m);
      }
      empty = fresh === 0 ? empty + 1 : 0;
    }
  } catch (err) {
    // A lease that could not be filled holds nothing: it ends, and what was received shows again.
    await endDeadLetterLeases(store, [lease.id], Date.now());
    const handles = [...messages.values()].map((m) => m.receiptHandle);
    if (handles.length) await setVisibility(queue.url, handles, 0, ctx.aws.clients).catch(() => 0);
    throw err;
  }
  const letters = sealLetters(ctx, lease.id, messages.values());
  if (!(await addLeaseLetters(store, lease.id, letters))) {
    // Replaced or taken over while SQS handed the letters out: they are nobody's, so they show again.
    await releaseLetters(ctx, lease, letters);
    throw await noLease(store, ownerOf(ctx, queueName));
  }
  const read = {
    messages: messages.size,
    messageIds: [...messages.keys()],
    leaseId: lease.id,
    expiresAt: new Date(lease.span.end).toISOString(),
  };
  if (queue.redrivePolicy)
    await recordAudit(ctx, {
      action: "queue.read-source",
      target: queue.arn,
      after: { ...read, maxReceiveCount: queue.redrivePolicy.maxReceiveCount },
    });
  else
    await recordAudit(ctx, { action: deadLetter ? "dead-letters.read" : "queue.read", target: queue.arn, after: read });
  return viewOf(ctx, lease, [...messages.values()], messages.size >= max, masking, notes);
}

/** This user's live lease on the queue; a conflict saying why there is none otherwise. */
async function leaseOf(ctx: OperationContext, queueName: string, now = Date.now()): Promise<DeadLetterLease> {
  const store = await getStore();
  const owner = ownerOf(ctx, queueName);
  const lease = await currentDeadLetterLease(store, owner, now);
  if (!lease) throw await noLease(store, owner);
  return lease;
}

/** Why the owner holds no lease on the queue: taken over (by whom, when), or released or run out. */
async function noLease(store: Store, owner: LeaseOwner): Promise<AppError> {
  const taken = (await latestDeadLetterLease(store, owner))?.takenOver;
  const queueName = owner.queueName;
  return new AppError(
    "conflict",
    taken
      ? `Your lease on ${queueName} was taken over by ${taken.by} at ${taken.at}: its messages are visible to others again. Load the messages again.`
      : `You hold no lease on ${queueName} (it was released or ran out). Load the messages again.`,
  );
}

/** Makes every message still in this user's lease visible again. Safe to call twice, through any replica. */
export async function releaseLease(
  ctx: OperationContext,
  queueName: string,
  now = Date.now(),
): Promise<{ released: number }> {
  const store = await getStore();
  const lease = await currentDeadLetterLease(store, ownerOf(ctx, queueName), now);
  if (!lease) return { released: 0 };
  const [ended] = await endDeadLetterLeases(store, [lease.id], now);
  return { released: ended ? await releaseLetters(ctx, lease, ended.letters) : 0 };
}

/**
 * Extends this user's lease to LEASE_SECONDS from now, while the view stays open; a viewer's only
 * as far as their leased time on the queue allows (refused, 429, once it is used up).
 */
export async function renewLease(
  ctx: OperationContext,
  queueName: string,
  now = Date.now(),
): Promise<{ expiresAt: string }> {
  const lease = await leaseOf(ctx, queueName, now);
  const store = await getStore();
  const end = lease.capped
    ? viewerRenewalEnd(
        queueName,
        lease.span,
        liveSpans(await recentLeaseSpans(store, ownerOf(ctx, queueName), now), now),
        now,
      )
    : now + LEASE_SECONDS * 1000;
  const held = unsealLetters(ctx, lease, await leaseLetters(store, lease.id));
  // ChangeMessageVisibility counts from now (SQS API Reference, "ChangeMessageVisibility").
  const handles = held.map((m) => m.receiptHandle);
  await setVisibility(lease.queue.url, handles, Math.max(0, Math.round((end - now) / 1000)), ctx.aws.clients);
  if (!(await extendDeadLetterLease(store, lease.id, end, now))) {
    // Taken over or released while SQS renewed it: the renewal must not hide the letters again
    // (unless the user opened a new lease meanwhile, which released and received them afresh).
    const owner = ownerOf(ctx, queueName);
    if (!(await currentDeadLetterLease(store, owner, now)))
      await setVisibility(lease.queue.url, handles, 0, ctx.aws.clients).catch(() => 0);
    throw await noLease(store, owner);
  }
  return { expiresAt: new Date(end).toISOString() };
}

/** The messages in the order their ids were asked for (the store keeps them in the order SQS gave them). */
const inOrderOf = (messageIds: readonly string[], messages: ReceivedMessage[]) => {
  const byId = new Map(messages.map((m) => [m.messageId, m]));
  return messageIds.flatMap((id) => byId.get(id) ?? []);
};

/** Takes messages out of this user's lease (for a replay job); unknown ids are skipped. */
export async function takeFromLease(
  ctx: OperationContext,
  queueName: string,
  messageIds: string[],
): Promise<ReceivedMessage[]> {
  const store = await getStore();
  const now = Date.now();
  const lease = await currentDeadLetterLease(store, ownerOf(ctx, queueName), now);
  if (!lease) return [];
  return inOrderOf(messageIds, unsealLetters(ctx, lease, await takeLeaseLetters(store, lease.id, messageIds, now)));
}

/** A leased message as this user sees it, or undefined. */
export async function leasedMessage(
  ctx: OperationContext,
  queueName: string,
  messageId: string,
): Promise<ReceivedMessage | undefined> {
  return (await leasedMessages(ctx, queueName, [messageId]))[0];
}

/** This user's leased messages on the queue: the given ids among them, or all. */
export async function leasedMessages(
  ctx: OperationContext,
  queueName: string,
  messageIds?: string[],
): Promise<ReceivedMessage[]> {
  const store = await getStore();
  const lease = await currentDeadLetterLease(store, ownerOf(ctx, queueName), Date.now());
  if (!lease) return [];
  const letters = unsealLetters(ctx, lease, await leaseLetters(store, lease.id, messageIds));
  return messageIds ? inOrderOf(messageIds, letters) : letters;
}

/** The chosen letters of this user's live lease on the queue, with the ids that are not in it. */
export interface ChosenLetters {
  lease: DeadLetterLease;
  letters: ReceivedMessage[];
  notLeased: string[];
}

/**
 * This user's live lease on the queue and the chosen letters in it: read (they stay in the lease), or
 * taken out of it (`take`), so that no other request, on any replica, acts on them meanwhile.
 */
async function chosenLetters(
  ctx: OperationContext,
  queueName: string,
  messageIds: string[],
  take = false,
): Promise<ChosenLetters> {
  const lease = await leaseOf(ctx, queueName);
  const store = await getStore();
  const sealed = take
    ? await takeLeaseLetters(store, lease.id, messageIds, Date.now())
    : await leaseLetters(store, lease.id, messageIds);
  const letters = inOrderOf(messageIds, unsealLetters(ctx, lease, sealed));
  const found = new Set(letters.map((m) => m.messageId));
  return { lease, letters, notLeased: messageIds.filter((id) => !found.has(id)) };
}

/**
 * Puts letters taken for an action that did not use them back into their lease, or, when the lease
 * ended meanwhile, makes them visible again.
 */
export async function putBackInLease(
  ctx: OperationContext,
  lease: LeaseRef,
  letters: ReceivedMessage[],
): Promise<void> {
  if (letters.length === 0) return;
  const sealed = sealLetters(ctx, lease.id, letters);
  if (!(await addLeaseLetters(await getStore(), lease.id, sealed))) await releaseLetters(ctx, lease, sealed);
}

/**
 * The chosen letters of this user's lease on a dead-letter queue, for acting on them elsewhere (a
 * copy into another environment): read, or taken out of the lease for a move (putBackInLease
 * returns those not moved).
 */
export async function leasedDeadLetters(
  ctx: OperationContext,
  queueName: string,
  messageIds: string[],
  options: { take: boolean },
): Promise<ChosenLetters> {
  const chosen = await chosenLetters(ctx, queueName, messageIds, options.take);
  if (!chosen.lease.deadLetter) {
    await putBackInLease(ctx, chosen.lease, options.take ? chosen.letters : []);
    throw notADeadLetterQueue(queueName, "copying letters");
  }
  return chosen;
}

/** Everyone's live leases on a queue of the context's environment: the DLQ page's view holds. */
export async function leasesOn(ctx: OperationContext, queueName: string, now = Date.now()): Promise<LeaseRecord[]> {
  const leases = await liveLeasesOnQueue(await getStore(), scopeOfContext(ctx), queueName, now);
  return leases.map((l) => ({ user: l.user, count: l.messageIds.length, expiresAt: l.span.end }));
}

/** Whether the user's last lease on the queue was taken over, by whom and when. */
export async function leaseTakenOver(ctx: OperationContext, queueName: string): Promise<TakenOver | undefined> {
  return (await latestDeadLetterLease(await getStore(), ownerOf(ctx, queueName)))?.takenOver;
}

export interface TakeOverResult {
  /** The leases ended: whose, how many letters, and until when they would have hidden them. */
  taken: { actor: string; count: number; until: string }[];
  /** Letters SQS made visible again (fewer when some handles had run out: those were visible already). */
  released: number;
  /** Running redrive jobs on the queue: their letters are not taken over; cancel a job to free them. */
  jobsNotTakenOver: string[];
  auditWarning?: string;
}

/**
 * Ends other people's leases on a queue (all, or one holder's) and makes their letters visible
 * again, so that the caller can lease them: an operator's answer to a view left open. Audited as
 * an intent first, naming each holder and the ids of their letters (never content). The leases
 * end in the store before SQS is asked, so that their renewals cannot hide the letters again; a
 * retry finds nothing left to take and changes nothing; if SQS fails, the letters show again when
 * the ended leases would have run out. A redrive job's letters are never taken over: the job
 * releases what it does not move, and can be cancelled.
 */
export async function takeOverLeases(
  ctx: OperationContext,
  queueName: string,
  options: { holder?: string } = {},
  now = Date.now(),
): Promise<TakeOverResult> {
  const queue = await describeQueue(queueName, ctx.aws.clients);
  const store = await getStore();
  const jobsNotTakenOver = (
    await listRedriveJobs(store, scopeOfContext(ctx), { dlqName: queueName, status: "running" })
  ).map((j) => j.id);
  const leases = (await liveLeasesOnQueue(store, scopeOfContext(ctx), queueName, now)).filter(
    (l) => l.user !== ctx.actor.name && (options.holder === undefined || l.user === options.holder),
  );
  if (leases.length === 0) return { taken: [], released: 0, jobsNotTakenOver };
  const taken = leases.map((l) => ({
    actor: l.user,
    count: l.messageIds.length,
    until: new Date(l.span.end).toISOString(),
  }));
  const { result: released, auditWarning } = await auditedChange(
    ctx,
    {
      action: "dead-letters.lease.take-over",
      target: queue.arn,
      before: leases.map((l) => ({
        holder: l.user,
        leaseId: l.id,
        messageIds: l.messageIds,
        expiresAt: new Date(l.span.end).toISOString(),
      })),
      after: { releasing: taken.reduce((sum, t) => sum + t.count, 0) },
    },
    async () => {
      const ended = await endDeadLetterLeases(
        store,
        leases.map((l) => l.id),
        now,
        { by: ctx.actor.name, at: new Date(now).toISOString() },
      );
      // Visibility 0 shows a message again at once (SQS API Reference, ChangeMessageVisibility).
      const handles = ended.flatMap((e) =>
        handlesOf(
          ctx,
          leases.find((l) => l.id === e.id)!,
          e.letters,
        ),
      );
      return handles.length ? setVisibility(queue.url, handles, 0, ctx.aws.clients) : 0;
    },
    { onSuccess: (count) => ({ after: { released: count, taken } }) },
  );
  return { taken, released, jobsNotTakenOver, ...(auditWarning ? { auditWarning } : {}) };
}

/**
 * A fingerprint of a revealed value: enough to tell two revealed values apart in the audit, and
 * keyed, so that nobody without the server's key can test guesses against it offline (a bare hash
 * of a PIN, a postcode or an id is found by trying them all).
 */
export function revealFingerprint(key: Buffer | string, value: string): string {
  return `hmac-sha256:${createHmac("sha256", key).update(value).digest("hex").slice(0, 16)}`;
}

/** The fingerprint key, derived from the auth secret (never the secret itself, which signs sessions). */
function revealKey(ctx: OperationContext): Buffer {
  return createHmac("sha256", ctx.settings.serverSecret()).update("fanout reveal fingerprint v1").digest();
}

/** The error for a delete or purge of a queue no redrive policy names. */
function notADeadLetterQueue(queueName: string, action: string): AppError {
  return new AppError(
    "validation",
    `name: ${queueName} is not a dead-letter queue: no queue or subscription redrive policy names it, and ${action} works on dead-letter queues only.`,
    {
      issues: [{ path: "name", message: "not a dead-letter queue" }],
    },
  );
}

/**
 * Reveals one masked field of a leased message, if the masking policy on the queue lets the caller
 * (403 naming it otherwise); the audit gets the path and a keyed fingerprint, never the value. The
 * entry is written before the value is returned: if it cannot be written, nothing is revealed.
 */
export async function revealField(
  ctx: OperationContext,
  queueName: string,
  messageId: string,
  path: string,
): Promise<{ path: string; value: string }> {
  const {
    lease,
    letters: [m],
  } = await chosenLetters(ctx, queueName, [messageId]);
  const inForce = maskingOn(ctx, lease.queue.arn);
  await requireReveal(ctx, lease.queue, inForce);
  if (!m)
    throw new AppError("not_found", `messageId: ${messageId} is not in your lease on ${queueName}.`, {
      issues: [{ path: "messageId", message: "not in your lease" }],
    });
  const decoded = decodeLetter(m, lease.queue);
  const masked = maskByPolicy(decoded, inForce.policy).masked;
  if (!masked.includes(path))
    throw new AppError("validation", `path: ${path} is not a masked field of this message.`, {
      issues: [{ path: "path", message: "not a masked field of this message" }],
    });
  const value = revealValue(decoded, path) ?? "";
  await recordAudit(ctx, {
    action: "dead-letters.reveal",
    target: lease.queue.arn,
    after: { messageId, path, fingerprint: revealFingerprint(revealKey(ctx), value) },
  });
  return { path, value };
}

/**
 * Deletes leased messages of a dead-letter queue for good; ids not in the lease are reported, not
 * guessed at. The letters leave the lease first, so that no replay through any replica takes them
 * meanwhile; those SQS did not delete go back into it. Audited as an intent first (see
 * auditedChange); when a later batch fails, the failure row lists what was deleted before it.
 */
export async function deleteLeased(
  ctx: OperationContext,
  queueName: string,
  messageIds: string[],
): Promise<{ deleted: string[]; notLeased: string[]; auditWarning?: string }> {
  const { lease, letters: targets, notLeased } = await chosenLetters(ctx, queueName, messageIds, true);
  const deleted: string[] = [];
  const putBack = () =>
    putBackInLease(
      ctx,
      lease,
      targets.filter((m) => !deleted.includes(m.messageId)),
    );
  if (!lease.deadLetter) {
    await putBack();
    throw notADeadLetterQueue(queueName, "deleting messages");
  }
  const { result, auditWarning } = await auditedChange(
    ctx,
    {
      action: "dead-letters.delete",
      target: lease.queue.arn,
      before: null,
      after: { deleting: targets.map((m) => m.messageId), notLeased },
    },
    async () => {
      await deleteMessages(lease.queue.url, targets, ctx.aws.clients, {
        after: async (_, deletedNow) => {
          for (const m of deletedNow) deleted.push(m.messageId);
          await recordDlqRemoval(await getStore(), scopeOfContext(ctx), lease.queue.name, deletedNow.length, "delete");
        },
      });
      return { deleted, notLeased };
    },
    {
      onSuccess: () => ({
        after: { deleted, notLeased },
        outcome: deleted.length === targets.length ? "success" : "failure",
      }),
      onFailure: (err) => ({
        after: {
          deleted: [...deleted],
          notDeleted: targets.map((m) => m.messageId).filter((id) => !deleted.includes(id)),
          notLeased,
        },
        detail: err instanceof Error ? err.message : String(err),
      }),
    },
  ).finally(putBack);
  return { ...result, ...(auditWarning ? { auditWarning } : {}) };
}

/**
 * The chosen leased messages as JSON Lines: masked as on screen, or with `reveal` as SQS holds them,
 * which the masking policy on the queue must let the caller do (403 naming it otherwise) wherever a
 * letter has something hidden. Such an export is audited as a reveal too (ids and paths, never
 * values), before anything is returned. It changes nothing in SQS or the lease: a retry exports the
 * same letters again, audited again.
 */
export async function exportLeased(
  ctx: OperationContext,
  queueName: string,
  messageIds: string[],
  options: { reveal?: boolean } = {},
): Promise<string> {
  const { lease, letters } = await chosenLetters(ctx, queueName, messageIds);
  const inForce = maskingOn(ctx, lease.queue.arn);
  const decoded = letters.map((m) => decodeLetter(m, lease.queue));
  const shown = decoded.map((d) => maskByPolicy(d, inForce.policy));
  const hiding = shown.filter((d) => d.masked.length > 0 || d.withheld !== undefined);
  const reveal = options.reveal === true && hiding.length > 0;
  if (reveal) {
    await requireReveal(ctx, lease.queue, inForce);
    await recordAudit(ctx, {
      action: "dead-letters.reveal",
      target: lease.queue.arn,
      after: {
        export: true,
        letters: hiding.map((d) => ({
          messageId: d.messageId,
          paths: d.masked,
          ...(d.withheld ? { withheld: d.withheld.part } : {}),
        })),
      },
    });
  }
  await recordAudit(ctx, {
    action: "dead-letters.export",
    target: lease.queue.arn,
    after: {
      messageIds: letters.map((m) => m.messageId),
      ...(reveal ? { revealed: hiding.map((d) => d.messageId) } : {}),
    },
  });
  const lines = (reveal ? decoded : shown).map((d) => JSON.stringify(d));
  return lines.length ? `${lines.join("\n")}\n` : "";
}

/** Deletes every message in a dead-letter queue (admin; the caller typed the queue's name to confirm). Audited as an intent first. */
export async function purgeDeadLetters(
  ctx: OperationContext,
  queueName: string,
  confirmName: string,
): Promise<{ purged: true; auditWarning?: string }> {
  if (confirmName !== queueName) {
    throw new AppError("validation", `confirmName: type the queue's name (${queueName}) to confirm the purge.`, {
      issues: [{ path: "confirmName", message: `must be exactly ${queueName}` }],
    });
  }
  const queue = await describeQueue(queueName, ctx.aws.clients);
  if (!(await isDeadLetterQueue(ctx, queue))) throw notADeadLetterQueue(queueName, "purging");
  // `before` holds the counts purged, `after` the empty queue a purge leaves (rows written before
  // this change held the counts under `after` too); the SLA books purges from dlq_removals, below.
  const before = { visible: queue.visible, inFlight: queue.inFlight, delayed: queue.delayed };
  const after = { visible: 0, inFlight: 0, delayed: 0 };
  const { auditWarning } = await auditedChange(
    ctx,
    { action: "dead-letters.purge", target: queue.arn, before, after },
    () => purgeQueue(queue.url, ctx.aws.clients),
  );
  // The purge took every leased letter with it: the leases on the queue hold nothing any more.
  const store = await getStore();
  await endLeasesOnQueue(store, scopeOfContext(ctx), queueName, Date.now());
  // PurgeQueue deletes what the queue held when called (SQS API Reference, PurgeQueue): booked as
  // the depth the SLA samples, visible + not visible (delayed messages are not in that depth).
  await recordDlqRemoval(store, scopeOfContext(ctx), queueName, queue.visible + queue.inFlight, "purge");
  return { purged: true, ...(auditWarning ? { auditWarning } : {}) };
}
