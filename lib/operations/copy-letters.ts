import "server-only";
import { queueResource, requireRoleOn } from "./resource-access";
import { createHash } from "node:crypto";
import { AppError, validationError } from "../domain/app-error";
import {
  copyableMessage,
  copyTargetProblem,
  letterProblem,
  summarizeCopy,
  type CopyOutcome,
  type CopySummary,
  type CopyTarget,
} from "../domain/copy-letters";
import { decodeMessage, type ReceivedMessage } from "../domain/dead-letter-message";
import { maskByPolicy } from "../domain/masking-policy";
import type { QueueDescription } from "../domain/dead-letters";
import { roleRefusal } from "../domain/environments";
import { buildReplayEntry, chunkEntries, SQS_MAX_MESSAGE_BYTES, type ReplayEntry } from "../domain/replay";
import { roleAtLeast } from "../domain/roles";
import { deleteMessages, describeQueue, sendMessageBatch } from "../aws/sqs";
import { getStore, recordDlqRemoval } from "../store";
import { auditedChange, recordAudit } from "./audited";
import { scopeOfContext, type OperationContext } from "./context";
import { leasedDeadLetters, putBackInLease } from "./dead-letter-browse";
import { maskingOn } from "./dead-letter-masking";

export interface CopyRequest {
  target: CopyTarget;
  messageIds: string[];
  /** Delete each original once its copy was confirmed sent. */
  move?: boolean;
}

export interface CopyResult extends CopySummary {
  target: CopyTarget & { environmentName: string; queueArn: string };
  move: boolean;
  letters: CopyOutcome[];
  auditWarning?: string;
}

/**
 * A FIFO copy's MessageDeduplicationId: sha256 hex of the DLQ, the letter and the target queue (64
 * characters; SQS allows 128). The same letter copied to the same queue again within SQS's
 * 5-minute deduplication interval (a retried request) is accepted and not delivered twice (SQS API
 * Reference, SendMessage, MessageDeduplicationId); it differs from the original's id, which lives in
 * another account's queue anyway.
 */
export function copyDeduplicationId(dlqArn: string, messageId: string, targetArn: string): string {
  return createHash("sha256").update(`copy:${dlqArn}:${messageId}:${targetArn}`).digest("hex");
}

const scopeOf = (ctx: OperationContext) => ({ environment: ctx.environment.id, region: ctx.environment.region });

/** Refuses a role below operator in either environment, naming the environment (403). */
function requireOperator(ctx: OperationContext, side: "source" | "target"): void {
  if (roleAtLeast(ctx.actor.role, "operator")) return;
  const reason = roleRefusal("operator", ctx.actor.role, ctx.environment);
  throw new AppError("forbidden", side === "target" ? `target: ${reason}` : reason, {
    ...(side === "target" ? { issues: [{ path: "target", message: reason }] } : {}),
  });
}

/**
 * Copies leased dead letters of `source`'s DLQ into a queue of another environment (`target`, a
 * context of the same user there), following the replay's rules: attributes and the group id kept,
 * the target's size limit, per-letter outcomes of SendMessageBatch. Masked fields are copied as
 * the mask (copyableMessage). With `move`, each original is deleted only after SQS confirmed its
 * copy. Audited in both environments, each entry naming the other side: in the source as an intent
 * before any send and its outcome, in the target once the sends are done.
 *
 * A retry sends again what is still in the lease: letters copied without `move` are copied again
 * (a FIFO target drops the repeat within 5 minutes, see copyDeduplicationId; a standard one gets a
 * second copy, which carries the same fanout-original-message-id); letters already moved are no
 * longer leased and are reported `not-leased`.
 */
export async function copyDeadLetters(
  source: OperationContext,
  target: OperationContext,
  queueName: string,
  request: CopyRequest,
): Promise<CopyResult> {
  requireOperator(source, "source");
  requireOperator(target, "target");
  const problem = copyTargetProblem(scopeOf(source), request.target);
  if (problem) throw validationError("target", problem);
  await requireRoleOn(target, queueResource(target, request.target.queue), "operator", "target");
  const move = request.move === true;
  const ids = [...new Set(request.messageIds)];
  // A move takes the letters out of the lease first, so no replay through any replica takes them
  // meanwhile; whatever is not moved goes back into it at the end.
  const { lease, letters, notLeased } = await leasedDeadLetters(source, queueName, ids, { take: move });
  const dlq = lease.queue;
  const outcomes = new Map<string, CopyOutcome>();
  try {
    return await copyLeased(source, target, request, { dlq, letters, notLeased, ids, move, outcomes });
  } finally {
    if (move)
      await putBackInLease(
        source,
        lease,
        letters.filter((m) => outcomes.get(m.messageId)?.outcome !== "moved"),
      );
  }
}

/** The copy itself, of letters chosen from the lease: the outcome of each goes into `outcomes`. */
async function copyLeased(
  source: OperationContext,
  target: OperationContext,
  request: CopyRequest,
  chosen: {
    dlq: QueueDescription;
    letters: ReceivedMessage[];
    notLeased: string[];
    ids: string[];
    move: boolean;
    outcomes: Map<string, CopyOutcome>;
  },
): Promise<CopyResult> {
  const { dlq, letters, notLeased, ids, move, outcomes } = chosen;
  const queueName = dlq.name;
  if (letters.length === 0)
    throw new AppError(
      "conflict",
      `messageIds: none of them is in your lease on ${queueName} (it may have expired): load the messages again.`,
      { issues: [{ path: "messageIds", message: "not in your lease" }] },
    );
  const targetQueue = await describeQueue(request.target.queue, target.aws.clients);
  const limit = targetQueue.maximumMessageSize ?? SQS_MAX_MESSAGE_BYTES;

  for (const messageId of notLeased)
    outcomes.set(messageId, {
      messageId,
      outcome: "not-leased",
      reason: "not in your lease (moved already, or the lease ran out): load the messages again",
    });
  const entries: { entry: ReplayEntry; original: ReceivedMessage; masked: string[] }[] = [];
  // Copied as shown: masked by the policy in force on the source DLQ, never revealed (the target may be read by more people).
  const masking = maskingOn(source, dlq.arn);
  letters.forEach((original, index) => {
    const fail = (reason: string) =>
      outcomes.set(original.messageId, { messageId: original.messageId, outcome: "failed", reason });
    const shown = maskByPolicy(decodeMessage(original, { retentionSeconds: 0, fifo: dlq.fifo }), masking.policy);
    const copyable = copyableMessage(original, shown);
    if (!copyable.ok) return fail(copyable.reason);
    const unfit = letterProblem(original, targetQueue.fifo);
    if (unfit) return fail(unfit);
    const entry = buildReplayEntry(copyable.message, {
      fifo: targetQueue.fifo,
      index,
      deduplicationId: copyDeduplicationId(dlq.arn, original.messageId, targetQueue.arn),
      maxMessageSize: limit,
    });
    // The target queue's MaximumMessageSize is its limit (SQS Developer Guide, "Amazon SQS message quotas").
    if (entry.byteSize > limit)
      return fail(`it is ${entry.byteSize} bytes (body and attributes); ${targetQueue.name} takes at most ${limit}`);
    entries.push({ entry, original, masked: copyable.masked });
  });

  const to = { ...scopeOf(target), queue: targetQueue.arn };
  const from = { ...scopeOf(source), queue: dlq.arn };
  const lettersOf = () => ids.map((id) => outcomes.get(id)!).filter(Boolean);
  const { result, auditWarning } = await auditedChange(
    source,
    { action: "dead-letters.copy", target: dlq.arn, before: null, after: { to, move, messageIds: ids } },
    async () => {
      const sent = await sendCopies(target, targetQueue.url, entries, outcomes);
      if (move && sent.length) await deleteOriginals(source, dlq, sent, outcomes);
      return lettersOf();
    },
    {
      onSuccess: (letters) => ({
        after: { to, move, ...summarizeCopy(letters), letters: letters },
        outcome: letters.every((l) => l.outcome === "copied" || l.outcome === "moved") ? "success" : "failure",
      }),
      onFailure: () => ({ after: { to, move, letters: lettersOf() } }),
    },
  );
  const summary = summarizeCopy(result);
  let warning = auditWarning;
  try {
    // Ids, outcomes and masked paths only, as in the source's entry: never a letter's content.
    await recordAudit(target, {
      action: "dead-letters.copy-in",
      target: targetQueue.arn,
      after: { from, move, ...summary, letters: result },
      outcome: summary.copied + summary.moved > 0 ? "success" : "failure",
    });
  } catch (err) {
    warning ??= `The copies were sent, but the target environment's audit entry could not be written: ${err instanceof Error ? err.message : String(err)}`;
  }
  return {
    target: {
      ...request.target,
      queue: targetQueue.name,
      queueArn: targetQueue.arn,
      environmentName: target.environment.name,
    },
    move,
    ...summary,
    letters: result,
    ...(warning ? { auditWarning: warning } : {}),
  };
}

/**
 * Sends the copies in SendMessageBatch requests (chunkEntries: 10 entries, 1 MiB); each entry
 * succeeds or fails on its own (SQS API Reference, SendMessageBatch), and a request that fails
 * fails its entries. Returns the letters SQS confirmed, with their copies' ids.
 */
async function sendCopies(
  target: OperationContext,
  queueUrl: string,
  entries: { entry: ReplayEntry; original: ReceivedMessage; masked: string[] }[],
  outcomes: Map<string, CopyOutcome>,
): Promise<ReceivedMessage[]> {
  const byEntryId = new Map(entries.map((e) => [e.entry.id, e]));
  const sent: ReceivedMessage[] = [];
  for (const chunk of chunkEntries(entries.map((e) => e.entry))) {
    try {
      const batch = await sendMessageBatch(queueUrl, chunk, target.aws.clients);
      for (const entry of chunk) {
        const { original, masked } = byEntryId.get(entry.id)!;
        const messageId = original.messageId;
        const copyMessageId = batch.succeeded.get(entry.id);
        if (copyMessageId !== undefined) {
          outcomes.set(messageId, { messageId, outcome: "copied", copyMessageId, masked });
          sent.push(original);
        } else {
          const why = batch.failed.get(entry.id);
          outcomes.set(messageId, {
            messageId,
            outcome: "failed",
            reason: why ? `${why.code}: ${why.message}` : "SQS did not answer for it",
          });
        }
      }
    } catch (err) {
      for (const entry of chunk) {
        const messageId = byEntryId.get(entry.id)!.original.messageId;
        outcomes.set(messageId, {
          messageId,
          outcome: "failed",
          reason: err instanceof Error ? err.message : String(err),
        });
      }
    }
  }
  return sent;
}

/** Deletes the originals whose copies were sent (a move); one that cannot be deleted stays leased and is said so. */
async function deleteOriginals(
  source: OperationContext,
  dlq: { name: string; url: string },
  sent: ReceivedMessage[],
  outcomes: Map<string, CopyOutcome>,
): Promise<void> {
  const deleted = new Set<string>();
  let failure: string | undefined;
  try {
    await deleteMessages(dlq.url, sent, source.aws.clients, {
      after: async (_, deletedNow) => {
        for (const m of deletedNow) deleted.add(m.messageId);
        // Booked as a redrive: what the console takes out of a DLQ is not new dead letters for the SLA.
        await recordDlqRemoval(await getStore(), scopeOfContext(source), dlq.name, deletedNow.length, "redrive");
      },
    });
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
  }
  for (const m of sent) {
    const copied = outcomes.get(m.messageId);
    if (copied?.outcome !== "copied") continue;
    outcomes.set(
      m.messageId,
      deleted.has(m.messageId)
        ? { ...copied, outcome: "moved" }
        : {
            ...copied,
            outcome: "copied-not-deleted",
            reason:
              "the copy was sent but the original could not be deleted" +
              (failure ? `: ${failure}` : " (its receipt handle may have expired)") +
              "; it is still in the dead-letter queue",
          },
    );
  }
}
