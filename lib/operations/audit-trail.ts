import "server-only";
import { getStore, listAudit, type AuditEntry, type AuditFilter } from "../store";
import type { OperationContext } from "./context";

/** What a failed sign-in's actor shows to anyone but an admin. */
export const HIDDEN_SIGN_IN_NAME = "(hidden: failed sign-in)";

const isFailedSignIn = (e: AuditEntry) => e.action === "auth.sign-in" && e.outcome === "failure";

/**
 * The audit trail as the given role may read it. A failed sign-in's actor is whatever was typed
 * as the user name — sometimes a password typed into the wrong field — so only admins see it;
 * others see the row without the name, and cannot find such rows by filtering on a guessed name.
 */
export async function readAuditTrail(ctx: Pick<OperationContext, "actor">, filter: AuditFilter): Promise<AuditEntry[]> {
  if (ctx.actor.role === "admin") return listAudit(await getStore(), filter);
  const entries = await listAudit(await getStore(), { ...filter, excludeFailedSignIns: filter.actor !== undefined });
  return entries.map((e) => (isFailedSignIn(e) ? { ...e, actor: HIDDEN_SIGN_IN_NAME } : e));
}
