import "server-only";
import { AppError } from "../domain/app-error";
import {
  describeMasking,
  maskingFor,
  mayReveal,
  revealRefusal,
  type MaskingDescription,
  type MaskingInForce,
} from "../domain/masking-policy";
import { REFUSAL_WINDOW_MS, RefusalTally } from "../domain/refusal-tally";
import { scopeKey } from "../domain/scope";
import { processSingleton } from "../process-singleton";
import { recordAudit } from "./audited";
import { scopeOfContext, type OperationContext } from "./context";
import { describedQueueResource, roleOnLookup } from "./resource-access";

/**
 * The masking policy in force on a dead-letter queue (lib/domain/masking-policy.ts), and who may
 * reveal under it: the caller's role on THAT queue, from their bindings, against the policy's `reveal`.
 */

/** The policy in force on a queue of the context's environment, by its ARN. */
export const maskingOn = (ctx: OperationContext, queueArn: string): MaskingInForce =>
  maskingFor(ctx.settings.masking, queueArn);

/** What the dead-letter page shows of the masking in force, and whether this caller may reveal there. */
export interface MaskingView extends MaskingDescription {
  mayReveal: boolean;
}

type KnownQueue = { arn: string; url: string };

export async function maskingView(ctx: OperationContext, queue: KnownQueue): Promise<MaskingView> {
  const inForce = maskingOn(ctx, queue.arn);
  const role = await roleOnLookup(ctx, describedQueueResource(ctx, queue));
  return { ...describeMasking(inForce), mayReveal: mayReveal(inForce.policy, role) };
}

/** Refused reveals, tallied per caller and queue: audited once a window, as refused requests are (with-session.ts). */
const refusedReveals = processSingleton("refusedReveals", () => new RefusalTally(REFUSAL_WINDOW_MS));

/**
 * Refuses (403, naming the policy) unless the caller's role on the queue is at least the policy's `reveal`.
 * A refusal is audited: someone tried to read what the policy hides (the first of a caller's refusals on
 * a queue in a window, with the count since the last audited one, so that retries cannot flood the trail).
 */
export async function requireReveal(ctx: OperationContext, queue: KnownQueue, inForce: MaskingInForce): Promise<void> {
  const refusal = revealRefusal(inForce, await roleOnLookup(ctx, describedQueueResource(ctx, queue)));
  if (!refusal) return;
  const due = refusedReveals.note(`${scopeKey(scopeOfContext(ctx))}|${ctx.actor.name}|${queue.arn}`, Date.now());
  if (due) {
    try {
      await recordAudit(ctx, {
        action: "dead-letters.reveal",
        target: queue.arn,
        after: { refused: due.refused, refusedSince: new Date(due.since).toISOString() },
        outcome: "failure",
        detail: `${refusal} Further refused reveals of this caller on this queue in the next 15 min are counted in the next such entry.`,
      });
    } catch (err) {
      // The refusal stands whether or not it could be written down.
      console.error("could not audit a refused reveal:", err);
    }
  }
  throw new AppError("forbidden", refusal);
}
