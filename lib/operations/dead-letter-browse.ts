import "server-only";
import { processSingleton } from "../process-singleton";
import { createHmac, randomUUID } from "node:crypto";
import { AppError } from "../domain/app-error";
import {
  checkLeaseAllowed,
  LEASE_SECONDS,
  liveSpans,
  VIEWER_LEASE_LIMITS,
  viewerLeaseSeconds,
  viewerRenewalEnd,
  type LeaseSpan,
} from "../domain/dead-letter-lease";
import type { LeaseRecord, TakenOver } from "../domain/lease-holds";
import {
  decodeMessage,
  maskMessage,
  revealValue,
  type DeadLetterMessage,
  type ReceivedMessage,
} from "../domain/dead-letter-message";
import type { QueueDescription } from "../domain/dead-letters";
import { roleAtLeast } from "../domain/roles";
import { deleteMessages, describeQueue, purgeQueue, receiveMessages, setVisibility } from "../aws/sqs";
import { getStore, listRedriveJobs, recordDlqRemoval } from "../store";
import { auditedChange, recordAudit } from "./audited";
import { isDeadLetterQueue } from "./dead-letters";
import { scopeOfContext, type OperationContext } from "./context";

/**
 * Reading dead letters safely. SQS has no peek and no offset, so a read is a lease: the server
 * receives messages with a visibility timeout, keeps their receipt handles for that user and
 * queue, and releases them (visibility 0) when the user closes the view; replay and delete act on
 * the leased handles. A console restart loses the handles, and SQS then releases the messages
 * itself when the lease's visibility timeout runs out.
 */

export { LEASE_SECONDS, VIEWER_LEASE_LIMITS };
/** The most messages an operator's lease holds; a viewer's holds VIEWER_LEASE_LIMITS.messages. */
export const MAX_LEASED = 1000;

interface Lease {
  id: string;
  /** Its entry in the registry: user, environment and queue (leaseKey). */
  key: string;
  /** The environment the queue is in. */
  environment: string;
  user: string;
  queue: QueueDescription;
  /** Some redrive policy names the queue: deletes and purges are for such queues only. */
  deadLetter: boolean;
  /** Leased by a viewer: renewals are capped (VIEWER_LEASE_LIMITS). */
  capped: boolean;
  /** This lease's span in the viewer's leased time on the queue. */
  span: LeaseSpan;
  messages: Map<string, ReceivedMessage>;
  expiresAt: number;
  timer: NodeJS.Timeout;
}

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
}

// One registry per server process, shared by every route bundle.
const registry = processSingleton("leases", () => new Map<string, Lease>());
// Leases whose messages are being received, by the same key.
const opening = processSingleton("openingLeases", () => new Set<string>());
// Each viewer's leased time per queue over the last hour, by the same key.
const viewerSpans = processSingleton("viewerLeaseSpans", () => new Map<string, LeaseSpan[]>());

// Leases an operator ended (takeOverLeases), by the same key, until their user opens the queue again.
const takenOver = processSingleton("takenOverLeases", () => new Map<string, TakenOver>());

/** A user's lease on a queue of an environment; starts with the user's name, so their leases are found by prefix. */
const keyOf = (user: string, environment: string, queue: string) => `${user}\u0000${environment}\u0000${queue}`;
const leaseKey = (ctx: OperationContext, queue: string) => keyOf(ctx.actor.name, ctx.aws.key, queue);

function decodeForView(ctx: OperationContext, m: ReceivedMessage, queue: QueueDescription): DeadLetterMessage {
  return maskMessage(
    decodeMessage(m, { retentionSeconds: queue.retentionSeconds, fifo: queue.fifo }),
    ctx.settings.mask,
  );
}

function viewOf(ctx: OperationContext, lease: Lease, limited: boolean, extraNotes: string[] = []): LeaseView {
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
    expiresAt: new Date(lease.expiresAt).toISOString(),
    messages: [...lease.messages.values()].map((m) => decodeForView(ctx, m, q)),
    limited,
    notes,
  };
}

const handlesOf = (lease: Lease) => [...lease.messages.values()].map((m) => m.receiptHandle);

/** Drops a lease from the registry; its messages stop counting toward the viewer's hour from `now`. */
function forget(lease: Lease, now = Date.now()) {
  clearTimeout(lease.timer);
  if (registry.get(lease.key) === lease) registry.delete(lease.key);
  lease.span.end = Math.min(lease.span.end, Math.max(lease.span.start, now));
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
  const key = leaseKey(ctx, queueName);
  takenOver.delete(key);
  const capped = !roleAtLeast(ctx.actor.role, "operator");
  const notes: string[] = [];
  let seconds = LEASE_SECONDS;
  let max = Math.max(1, Math.min(MAX_LEASED, options.max));
  // The earlier lease on this queue ends now: its time counts, what is left of it does not.
  const earlier = registry.get(key);
  if (earlier) {
    forget(earlier, now);
    await setVisibility(earlier.queue.url, handlesOf(earlier), 0, ctx.aws.clients).catch(() => 0);
  }
  if (capped) {
    // Leases being opened count too: parallel opens must not pass the check together.
    const held = [...registry.values()].filter((l) => l.user === ctx.actor.name && l.expiresAt > now).map((l) => l.key);
    const others = new Set([...held, ...opening].filter((k) => k !== key && k.startsWith(`${ctx.actor.name}\u0000`)))
      .size;
    seconds = viewerLeaseSeconds(queueName, liveSpans(viewerSpans.get(key) ?? [], now), others, now);
    if (max > VIEWER_LEASE_LIMITS.messages) {
      max = VIEWER_LEASE_LIMITS.messages;
      notes.push(
        `A viewer leases at most ${VIEWER_LEASE_LIMITS.messages} messages at a time, for ` +
          `at most ${VIEWER_LEASE_LIMITS.secondsPerHour / 60} minutes per queue per hour.`,
      );
    }
  }
  // Stamped before the first receive: the first message's visibility runs out first, and the
  // registry must not believe a handle is good after SQS has let the message go.
  const leasedAt = now;
  const span: LeaseSpan = { start: leasedAt, end: leasedAt + seconds * 1000 };
  if (capped) viewerSpans.set(key, [...liveSpans(viewerSpans.get(key) ?? [], now), span]);
  const messages = new Map<string, ReceivedMessage>();
  opening.add(key);
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
  } finally {
    opening.delete(key);
  }
  const lease: Lease = {
    id: randomUUID(),
    key,
    environment: ctx.aws.key,
    user: ctx.actor.name,
    queue,
    deadLetter,
    capped,
    span,
    messages,
    expiresAt: leasedAt + seconds * 1000,
    // SQS makes the messages visible again by itself at expiry; the handles are then worthless.
    timer: setTimeout(() => forget(lease), Math.max(0, leasedAt + seconds * 1000 - Date.now())).unref(),
  };
  registry.set(key, lease);
  const read = {
    messages: messages.size,
    messageIds: [...messages.keys()],
    leaseId: lease.id,
    expiresAt: new Date(lease.expiresAt).toISOString(),
  };
  if (queue.redrivePolicy)
    await recordAudit(ctx, {
      action: "queue.read-source",
      target: queue.arn,
      after: { ...read, maxReceiveCount: queue.redrivePolicy.maxReceiveCount },
    });
  else
    await recordAudit(ctx, { action: deadLetter ? "dead-letters.read" : "queue.read", target: queue.arn, after: read });
  return viewOf(ctx, lease, messages.size >= max, notes);
}

function leaseOf(ctx: OperationContext, queueName: string, now = Date.now()): Lease {
  const key = leaseKey(ctx, queueName);
  const lease = registry.get(key);
  if (!lease || lease.expiresAt <= now) throw noLease(queueName, takenOver.get(key));
  return lease;
}

function noLease(queueName: string, taken: TakenOver | undefined): AppError {
  return new AppError(
    "conflict",
    taken
      ? `Your lease on ${queueName} was taken over by ${taken.by} at ${taken.at}: its messages are visible to others again. Load the messages again.`
      : `You hold no lease on ${queueName} (it was released or ran out). Load the messages again.`,
  );
}

/** Makes every message still in this user's lease visible again. Safe to call twice. */
export async function releaseLease(
  ctx: OperationContext,
  queueName: string,
  now = Date.now(),
): Promise<{ released: number }> {
  const lease = registry.get(leaseKey(ctx, queueName));
  if (!lease) return { released: 0 };
  forget(lease, now);
  const released = await setVisibility(lease.queue.url, handlesOf(lease), 0, ctx.aws.clients).catch(() => 0);
  return { released };
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
  const lease = leaseOf(ctx, queueName, now);
  const key = lease.key;
  const end = lease.capped
    ? viewerRenewalEnd(queueName, lease.span, liveSpans(viewerSpans.get(key) ?? [], now), now)
    : now + LEASE_SECONDS * 1000;
  // ChangeMessageVisibility counts from now (SQS API Reference, "ChangeMessageVisibility").
  await setVisibility(lease.queue.url, handlesOf(lease), Math.max(0, Math.round((end - now) / 1000)), ctx.aws.clients);
  const current = registry.get(key);
  if (current !== lease) {
    // Taken over or released while SQS renewed it: the renewal must not hide the letters again
    // (unless the user opened a new lease meanwhile, which released and received them afresh).
    if (!current) await setVisibility(lease.queue.url, handlesOf(lease), 0, ctx.aws.clients).catch(() => 0);
    throw noLease(queueName, takenOver.get(key));
  }
  lease.expiresAt = end;
  lease.span.end = end;
  clearTimeout(lease.timer);
  lease.timer = setTimeout(() => forget(lease), Math.max(0, end - Date.now())).unref();
  return { expiresAt: new Date(lease.expiresAt).toISOString() };
}

/** Takes messages out of this user's lease (for a replay job or a delete); unknown ids are skipped. */
export function takeFromLease(ctx: OperationContext, queueName: string, messageIds: string[]): ReceivedMessage[] {
  const lease = registry.get(leaseKey(ctx, queueName));
  if (!lease || lease.expiresAt <= Date.now()) return [];
  const taken: ReceivedMessage[] = [];
  for (const id of messageIds) {
    const m = lease.messages.get(id);
    if (m) {
      taken.push(m);
      lease.messages.delete(id);
    }
  }
  return taken;
}

/** A leased message as this user sees it, or undefined. */
export function leasedMessage(
  ctx: OperationContext,
  queueName: string,
  messageId: string,
): ReceivedMessage | undefined {
  return leasedMessages(ctx, queueName, [messageId])[0];
}

/** This user's leased messages on the queue: the given ids among them, or all. */
export function leasedMessages(ctx: OperationContext, queueName: string, messageIds?: string[]): ReceivedMessage[] {
  const lease = registry.get(leaseKey(ctx, queueName));
  if (!lease || lease.expiresAt <= Date.now()) return [];
  if (!messageIds) return [...lease.messages.values()];
  return messageIds.flatMap((id) => lease.messages.get(id) ?? []);
}

/**
 * The chosen letters of this user's lease on a dead-letter queue, for acting on them elsewhere (a
 * copy into another environment), with the queue and the ids that are not in the lease.
 */
export function leasedDeadLetters(
  ctx: OperationContext,
  queueName: string,
  messageIds: string[],
): { queue: QueueDescription; letters: ReceivedMessage[]; notLeased: string[] } {
  const lease = leaseOf(ctx, queueName);
  if (!lease.deadLetter) throw notADeadLetterQueue(queueName, "copying letters");
  return {
    queue: lease.queue,
    letters: messageIds.flatMap((id) => lease.messages.get(id) ?? []),
    notLeased: messageIds.filter((id) => !lease.messages.has(id)),
  };
}

/** Everyone's live leases on a queue of the context's environment: the DLQ page's view holds. */
export function leasesOn(ctx: OperationContext, queueName: string, now = Date.now()): LeaseRecord[] {
  return liveLeasesOn(ctx, queueName, now).map((l) => ({
    user: l.user,
    count: l.messages.size,
    expiresAt: l.expiresAt,
  }));
}

/** Whether the user's last lease on the queue was taken over, by whom and when. */
export function leaseTakenOver(ctx: OperationContext, queueName: string) {
  return takenOver.get(leaseKey(ctx, queueName));
}

const liveLeasesOn = (ctx: OperationContext, queueName: string, now: number) =>
  [...registry.values()].filter(
    (l) => l.environment === ctx.aws.key && l.queue.name === queueName && l.expiresAt > now,
  );

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
 * leave the registry before SQS is asked, so that their renewals cannot hide the letters again; a
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
  const jobsNotTakenOver = (
    await listRedriveJobs(await getStore(), scopeOfContext(ctx), { dlqName: queueName, status: "running" })
  ).map((j) => j.id);
  const leases = liveLeasesOn(ctx, queueName, now).filter(
    (l) => l.user !== ctx.actor.name && (options.holder === undefined || l.user === options.holder),
  );
  if (leases.length === 0) return { taken: [], released: 0, jobsNotTakenOver };
  const taken = leases.map((l) => ({
    actor: l.user,
    count: l.messages.size,
    until: new Date(l.expiresAt).toISOString(),
  }));
  const { result: released, auditWarning } = await auditedChange(
    ctx,
    {
      action: "dead-letters.lease.take-over",
      target: queue.arn,
      before: leases.map((l) => ({
        holder: l.user,
        leaseId: l.id,
        messageIds: [...l.messages.keys()],
        expiresAt: new Date(l.expiresAt).toISOString(),
      })),
      after: { releasing: taken.reduce((sum, t) => sum + t.count, 0) },
    },
    () => {
      const at = new Date(now).toISOString();
      for (const l of leases) {
        forget(l, now);
        takenOver.set(l.key, { leaseId: l.id, by: ctx.actor.name, at });
      }
      // Visibility 0 shows a message again at once (SQS API Reference, ChangeMessageVisibility).
      return setVisibility(queue.url, leases.flatMap(handlesOf), 0, ctx.aws.clients);
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
  return createHmac("sha256", ctx.settings.revealSecret()).update("fanout reveal fingerprint v1").digest();
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
 * Reveals one masked field of a leased message; the audit gets the path and a keyed fingerprint,
 * never the value. The entry is written before the value is returned: if it cannot be written,
 * nothing is revealed.
 */
export async function revealField(
  ctx: OperationContext,
  queueName: string,
  messageId: string,
  path: string,
): Promise<{ path: string; value: string }> {
  const lease = leaseOf(ctx, queueName);
  const m = lease.messages.get(messageId);
  if (!m)
    throw new AppError("not_found", `messageId: ${messageId} is not in your lease on ${queueName}.`, {
      issues: [{ path: "messageId", message: "not in your lease" }],
    });
  const decoded = decodeMessage(m, { retentionSeconds: lease.queue.retentionSeconds, fifo: lease.queue.fifo });
  const masked = maskMessage(decoded, ctx.settings.mask).masked;
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
 * guessed at. Audited as an intent first (see auditedChange); when a later batch fails, the
 * failure row lists what was deleted before it.
 */
export async function deleteLeased(
  ctx: OperationContext,
  queueName: string,
  messageIds: string[],
): Promise<{ deleted: string[]; notLeased: string[]; auditWarning?: string }> {
  const lease = leaseOf(ctx, queueName);
  if (!lease.deadLetter) throw notADeadLetterQueue(queueName, "deleting messages");
  const targets = messageIds.flatMap((id) => (lease.messages.has(id) ? [lease.messages.get(id)!] : []));
  const notLeased = messageIds.filter((id) => !lease.messages.has(id));
  const deleted: string[] = [];
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
          for (const m of deletedNow) {
            deleted.push(m.messageId);
            lease.messages.delete(m.messageId);
          }
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
  );
  return { ...result, ...(auditWarning ? { auditWarning } : {}) };
}

/** The chosen leased messages as JSON Lines, masked as on screen. */
export async function exportLeased(ctx: OperationContext, queueName: string, messageIds: string[]): Promise<string> {
  const lease = leaseOf(ctx, queueName);
  const lines = messageIds.flatMap((id) => {
    const m = lease.messages.get(id);
    return m ? [JSON.stringify(decodeForView(ctx, m, lease.queue))] : [];
  });
  await recordAudit(ctx, {
    action: "dead-letters.export",
    target: lease.queue.arn,
    after: { messageIds: messageIds.filter((id) => lease.messages.has(id)) },
  });
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
  for (const lease of registry.values())
    if (lease.environment === ctx.aws.key && lease.queue.name === queueName) forget(lease);
  // PurgeQueue deletes what the queue held when called (SQS API Reference, PurgeQueue): booked as
  // the depth the SLA samples, visible + not visible (delayed messages are not in that depth).
  await recordDlqRemoval(await getStore(), scopeOfContext(ctx), queueName, queue.visible + queue.inFlight, "purge");
  return { purged: true, ...(auditWarning ? { auditWarning } : {}) };
}
