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
import type { OperationContext } from "./context";
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

/** Refuses (403, naming the policy) unless the caller's role on the queue is at least the policy's `reveal`. */
export async function requireReveal(ctx: OperationContext, queue: KnownQueue, inForce: MaskingInForce): Promise<void> {
  const refusal = revealRefusal(inForce, await roleOnLookup(ctx, describedQueueResource(ctx, queue)));
  if (refusal) throw new AppError("forbidden", refusal);
}
