import "server-only";
import { AppError } from "../domain/app-error";
import { maskPublished } from "../domain/dead-letter-message";
import type { MessageAttribute } from "../domain/filter-policy/types";
import {
  addSampleMessage,
  deleteSampleMessage,
  findSampleMessageByName,
  getSampleMessage,
  getStore,
  listSampleMessages,
  type SavedSampleMessage,
} from "../store";
import { recordAudit } from "./audited";
import type { OperationContext } from "./context";

/**
 * Sample messages operators keep for testing filter policies; console state, audited like any
 * change. Served masked like every message the console shows, with the rules in force when served;
 * the audit keeps them masked too (viewers read the audit).
 */

/** A sample as served: masked by the current rules. */
function served<S extends { body: string; attributes: Record<string, MessageAttribute> }>(
  ctx: OperationContext,
  sample: S,
): S {
  const { masked: _paths, withheld: _withheld, ...shown } = maskPublished(sample, ctx.settings.mask);
  return shown as unknown as S;
}

export async function sampleMessages(ctx: OperationContext): Promise<SavedSampleMessage[]> {
  return (await listSampleMessages(await getStore())).map((sample) => served(ctx, sample));
}

export async function saveSampleMessage(
  ctx: OperationContext,
  input: { name: string; body: string; attributes: Record<string, MessageAttribute> },
): Promise<SavedSampleMessage> {
  const store = await getStore();
  const existing = await findSampleMessageByName(store, input.name);
  if (existing) {
    // A retry of the same save finds it done; a different message under the same name is a conflict.
    if (existing.body === input.body && JSON.stringify(existing.attributes) === JSON.stringify(input.attributes))
      return served(ctx, existing);
    throw new AppError("conflict", `name: a sample called "${input.name}" exists already`, {
      issues: [{ path: "name", message: "already taken" }],
    });
  }
  const saved = await addSampleMessage(store, { ...input, createdBy: ctx.actor.name });
  await recordAudit(ctx, {
    action: "sample-message.create",
    target: `sample-message:${saved.id}`,
    after: served(ctx, input),
  });
  return served(ctx, saved);
}

export async function removeSampleMessage(ctx: OperationContext, id: number): Promise<{ deleted: boolean }> {
  const store = await getStore();
  const existing = await getSampleMessage(store, id);
  // Deleting what is already gone succeeds: a retried delete changes nothing.
  if (!existing) return { deleted: false };
  await deleteSampleMessage(store, id);
  await recordAudit(ctx, {
    action: "sample-message.delete",
    target: `sample-message:${id}`,
    before: served(ctx, { name: existing.name, body: existing.body, attributes: existing.attributes }),
  });
  return { deleted: true };
}
