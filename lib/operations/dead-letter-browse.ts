import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { AppError } from "../domain/app-error";
import { decodeMessage, maskMessage, revealValue, type DeadLetterMessage, type ReceivedMessage } from "../domain/dead-letter-message";
import type { QueueDescription } from "../domain/dead-letters";
import { getConfig } from "../env";
import { deleteMessageBatch, describeQueue, purgeQueue, receiveMessages, setVisibility } from "../aws/sqs";
import { appendAudit, getStore, recordDlqRemoval } from "../store";
import type { Actor } from "./filter-policy";

/**
 * Reading dead letters safely. SQS has no peek and no offset, so a read is a lease: the server
 * receives messages with a visibility timeout, keeps their receipt handles for that user and
 * queue, and releases them (visibility 0) when the user closes the view; replay and delete act on
 * the leased handles. A console restart loses the handles, and SQS then releases the messages
 * itself when the lease's visibility timeout runs out.
 */

export const LEASE_SECONDS = 300;
export const MAX_LEASED = 1000;

interface Lease {
  id: string;
  user: string;
  queue: QueueDescription;
  messages: Map<string, ReceivedMessage>;
  expiresAt: number;
  timer: NodeJS.Timeout;
}

export interface LeaseView {
  leaseId: string;
  queue: Pick<QueueDescription, "name" | "arn" | "fifo" | "retentionSeconds" | "visible" | "inFlight" | "delayed"> & { maxReceiveCount?: number };
  expiresAt: string;
  messages: DeadLetterMessage[];
  /** The lease stopped at the requested maximum: more messages may be waiting. */
  limited: boolean;
  notes: string[];
}

// One registry per server process, shared by every route bundle.
const registry = ((globalThis as { __fanoutLeases?: Map<string, Lease> }).__fanoutLeases ??= new Map());

const keyOf = (user: string, queue: string) => `${user}\u0000${queue}`;

function decodeForView(m: ReceivedMessage, queue: QueueDescription): DeadLetterMessage {
  return maskMessage(decodeMessage(m, { retentionSeconds: queue.retentionSeconds, fifo: queue.fifo }), getConfig().mask);
}

function viewOf(lease: Lease, limited: boolean): LeaseView {
  const q = lease.queue;
  const notes: string[] = [];
  if (q.fifo) {
    notes.push(
      "FIFO queue: while a message is leased, the rest of its message group is held back, so one read sees at most ten messages of each group. Close the view to release them.",
    );
  }
  if (q.redrivePolicy) {
    notes.push(`This is a source queue: this read counted as one receive toward its maxReceiveCount (${q.redrivePolicy.maxReceiveCount}).`);
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
    messages: [...lease.messages.values()].map((m) => decodeForView(m, q)),
    limited,
    notes,
  };
}

const handlesOf = (lease: Lease) => [...lease.messages.values()].map((m) => m.receiptHandle);

function forget(lease: Lease) {
  clearTimeout(lease.timer);
  registry.delete(keyOf(lease.user, lease.queue.name));
}

function audit(actor: Actor, action: string, target: string, after: unknown, outcome: "success" | "failure" = "success", detail?: string) {
  appendAudit(getStore(), { actor: actor.user.name, role: actor.user.role, action, target, before: null, after, requestId: actor.requestId, outcome, ...(detail ? { detail } : {}) });
}

/**
 * Leases up to `max` messages of a queue for this user (replacing their earlier lease on it).
 * A queue with a RedrivePolicy is a source queue: every receive counts toward its
 * maxReceiveCount, even with visibility 0 (SQS Developer Guide, "Using dead-letter queues"), so
 * reading it can push messages into its DLQ. That needs an explicit confirmation.
 */
export async function openLease(actor: Actor, queueName: string, options: { max: number; confirmSourceRead: boolean }): Promise<LeaseView> {
  const queue = await describeQueue(queueName);
  if (queue.redrivePolicy && !options.confirmSourceRead) {
    throw new AppError(
      "confirmation_required",
      `${queueName} is a source queue, not a dead-letter queue. On SQS every receive counts toward its maxReceiveCount (${queue.redrivePolicy.maxReceiveCount}), so reading it can move messages into its dead-letter queue. Confirm to read it anyway.`,
      { details: { maxReceiveCount: queue.redrivePolicy.maxReceiveCount, deadLetterTargetArn: queue.redrivePolicy.deadLetterTargetArn } },
    );
  }
  await releaseLease(actor, queueName);
  const max = Math.max(1, Math.min(MAX_LEASED, options.max));
  const messages = new Map<string, ReceivedMessage>();
  for (let empty = 0; messages.size < max && empty < 2; ) {
    const batch = await receiveMessages(queue.url, { max: Math.min(10, max - messages.size), visibilitySeconds: LEASE_SECONDS, waitSeconds: empty > 0 || messages.size === 0 ? 1 : 0 });
    let fresh = 0;
    for (const m of batch) {
      if (!messages.has(m.messageId)) fresh++;
      messages.set(m.messageId, m);
    }
    empty = fresh === 0 ? empty + 1 : 0;
  }
  const lease: Lease = {
    id: randomUUID(),
    user: actor.user.name,
    queue,
    messages,
    expiresAt: Date.now() + LEASE_SECONDS * 1000,
    // SQS makes the messages visible again by itself at expiry; the handles are then worthless.
    timer: setTimeout(() => forget(lease), LEASE_SECONDS * 1000).unref(),
  };
  registry.set(keyOf(lease.user, queueName), lease);
  if (queue.redrivePolicy) audit(actor, "queue.read-source", queue.arn, { messages: messages.size, maxReceiveCount: queue.redrivePolicy.maxReceiveCount });
  return viewOf(lease, messages.size >= max);
}

function leaseOf(actor: Actor, queueName: string): Lease {
  const lease = registry.get(keyOf(actor.user.name, queueName));
  if (!lease || lease.expiresAt <= Date.now()) {
    throw new AppError("conflict", `You hold no lease on ${queueName} (it was released or ran out). Load the messages again.`);
  }
  return lease;
}

/** Makes every message still in this user's lease visible again. Safe to call twice. */
export async function releaseLease(actor: Actor, queueName: string): Promise<{ released: number }> {
  const lease = registry.get(keyOf(actor.user.name, queueName));
  if (!lease) return { released: 0 };
  forget(lease);
  const released = await setVisibility(lease.queue.url, handlesOf(lease), 0).catch(() => 0);
  return { released };
}

/** Extends this user's lease by another LEASE_SECONDS, while the view stays open. */
export async function renewLease(actor: Actor, queueName: string): Promise<{ expiresAt: string }> {
  const lease = leaseOf(actor, queueName);
  await setVisibility(lease.queue.url, handlesOf(lease), LEASE_SECONDS);
  lease.expiresAt = Date.now() + LEASE_SECONDS * 1000;
  clearTimeout(lease.timer);
  lease.timer = setTimeout(() => forget(lease), LEASE_SECONDS * 1000).unref();
  return { expiresAt: new Date(lease.expiresAt).toISOString() };
}

/** Takes messages out of this user's lease (for a replay job or a delete); unknown ids are skipped. */
export function takeFromLease(actor: Actor, queueName: string, messageIds: string[]): ReceivedMessage[] {
  const lease = registry.get(keyOf(actor.user.name, queueName));
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
export function leasedMessage(actor: Actor, queueName: string, messageId: string): ReceivedMessage | undefined {
  const lease = registry.get(keyOf(actor.user.name, queueName));
  return lease && lease.expiresAt > Date.now() ? lease.messages.get(messageId) : undefined;
}

/** A short, non-reversible fingerprint: enough to tell two revealed values apart in the audit. */
const fingerprint = (value: string) => `sha256:${createHash("sha256").update(value).digest("hex").slice(0, 16)}`;

/** Reveals one masked field of a leased message; the audit gets the path and a hash, never the value. */
export function revealField(actor: Actor, queueName: string, messageId: string, path: string): { path: string; value: string } {
  const lease = leaseOf(actor, queueName);
  const m = lease.messages.get(messageId);
  if (!m) throw new AppError("not_found", `messageId: ${messageId} is not in your lease on ${queueName}.`, { issues: [{ path: "messageId", message: "not in your lease" }] });
  const decoded = decodeMessage(m, { retentionSeconds: lease.queue.retentionSeconds, fifo: lease.queue.fifo });
  const masked = maskMessage(decoded, getConfig().mask).masked;
  if (!masked.includes(path)) throw new AppError("validation", `path: ${path} is not a masked field of this message.`, { issues: [{ path: "path", message: "not a masked field of this message" }] });
  const value = revealValue(decoded, path) ?? "";
  audit(actor, "dead-letters.reveal", lease.queue.arn, { messageId, path, fingerprint: fingerprint(value) });
  return { path, value };
}

/** Deletes leased messages for good; ids not in the lease are reported, not guessed at. */
export async function deleteLeased(actor: Actor, queueName: string, messageIds: string[]): Promise<{ deleted: string[]; notLeased: string[] }> {
  const lease = leaseOf(actor, queueName);
  const targets = messageIds.flatMap((id) => (lease.messages.has(id) ? [lease.messages.get(id)!] : []));
  const notLeased = messageIds.filter((id) => !lease.messages.has(id));
  const deleted: string[] = [];
  for (let i = 0; i < targets.length; i += 10) {
    const chunk = targets.slice(i, i + 10);
    const result = await deleteMessageBatch(lease.queue.url, chunk.map((m, index) => ({ id: `x${index}`, receiptHandle: m.receiptHandle })));
    chunk.forEach((m, index) => {
      if (result.succeeded.has(`x${index}`)) {
        deleted.push(m.messageId);
        lease.messages.delete(m.messageId);
      }
    });
    recordDlqRemoval(getStore(), lease.queue.name, result.succeeded.size, "delete");
  }
  audit(actor, "dead-letters.delete", lease.queue.arn, { deleted, notLeased }, deleted.length === targets.length ? "success" : "failure");
  return { deleted, notLeased };
}

/** The chosen leased messages as JSON Lines, masked as on screen. */
export function exportLeased(actor: Actor, queueName: string, messageIds: string[]): string {
  const lease = leaseOf(actor, queueName);
  const lines = messageIds.flatMap((id) => {
    const m = lease.messages.get(id);
    return m ? [JSON.stringify(decodeForView(m, lease.queue))] : [];
  });
  audit(actor, "dead-letters.export", lease.queue.arn, { messageIds: messageIds.filter((id) => lease.messages.has(id)) });
  return lines.length ? `${lines.join("\n")}\n` : "";
}

/** Deletes every message in a queue (admin; the caller typed the queue's name to confirm). */
export async function purgeDeadLetters(actor: Actor, queueName: string, confirmName: string): Promise<{ purged: true }> {
  if (confirmName !== queueName) {
    throw new AppError("validation", `confirmName: type the queue's name (${queueName}) to confirm the purge.`, { issues: [{ path: "confirmName", message: `must be exactly ${queueName}` }] });
  }
  const queue = await describeQueue(queueName);
  const before = { visible: queue.visible, inFlight: queue.inFlight, delayed: queue.delayed };
  try {
    await purgeQueue(queue.url);
  } catch (err) {
    audit(actor, "dead-letters.purge", queue.arn, before, "failure", err instanceof Error ? err.message : String(err));
    throw err;
  }
  for (const lease of registry.values()) if (lease.queue.name === queueName) forget(lease);
  // PurgeQueue deletes what the queue held when called (SQS API Reference, PurgeQueue): booked as
  // the depth the SLA samples, visible + not visible (delayed messages are not in that depth).
  recordDlqRemoval(getStore(), queueName, queue.visible + queue.inFlight, "purge");
  audit(actor, "dead-letters.purge", queue.arn, before);
  return { purged: true };
}
