import "server-only";
import type { AuditAction } from "../domain/audit";
import { knownCallerAccount } from "../aws/sts";
import { appendAudit, getStore, type NewAuditEntry } from "../store";
import type { AuditContext } from "./context";

/** What the outcome row of an audited change says, beyond the intent's fields. */
export interface AuditOutcome {
  after?: unknown;
  detail?: string;
  outcome?: "success" | "failure";
}

export interface AuditedResult<T> {
  result: T;
  /** Present when the change was made but its outcome row could not be written (its intent row was). */
  auditWarning?: string;
}

/** What an audit row says was done; `before` and `after` are null and the outcome "success" unless given. */
export interface AuditFields {
  action: AuditAction;
  target: string;
  before?: unknown;
  after?: unknown;
  outcome?: NewAuditEntry["outcome"];
  detail?: string;
}

/**
 * Where an entry says it was done: the environment, its region and account (the configured one, else
 * the credentials' once STS has named it: an audit write never waits for STS, nor fails with it).
 */
function auditedWhere(ctx: AuditContext): Pick<NewAuditEntry, "environment" | "region" | "account"> {
  const where = ctx.environment;
  if (!where) return { environment: null, region: null, account: null };
  const account = where.accountId ?? (ctx.aws ? knownCallerAccount(ctx.aws.clients) : undefined);
  return { environment: where.id, region: where.region, account: account ?? null };
}

/** The one way an audit row is built from whoever acted: their name, role and request id, and where. */
export function auditEntry(ctx: AuditContext, fields: AuditFields): NewAuditEntry {
  return {
    actor: ctx.actor.name,
    role: ctx.actor.role,
    action: fields.action,
    target: fields.target,
    before: fields.before ?? null,
    after: fields.after ?? null,
    requestId: ctx.requestId,
    outcome: fields.outcome ?? "success",
    ...(fields.detail ? { detail: fields.detail } : {}),
    ...(ctx.actor.tokenId ? { tokenId: ctx.actor.tokenId } : {}),
    ...auditedWhere(ctx),
  };
}

/** Writes one audit row: for reads, and for changes to the console's own store (auditedChange is for changes in AWS). */
export async function recordAudit(ctx: AuditContext, fields: AuditFields): Promise<void> {
  await appendAudit(await getStore(), auditEntry(ctx, fields));
}

const writeToStore = async (entry: NewAuditEntry) => void (await appendAudit(await getStore(), entry));

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Makes a change in AWS that is never unaudited. The audit trail is append-only, so an entry
 * cannot be written first and completed later; instead the entry is written as an intent
 * (outcome "pending") BEFORE the AWS call, and the outcome follows as a second row with the same
 * request id:
 *
 * - the intent cannot be written → nothing is changed, the request fails;
 * - the change fails → a "failure" row (what `onFailure` says happened, e.g. a partial delete), and
 *   the error goes to the caller;
 * - the outcome row cannot be written → the change stands, recorded by its intent, and the answer
 *   carries `auditWarning` instead of an error that would invite a retry of the change.
 */
export async function auditedChange<T>(
  ctx: AuditContext,
  entry: { action: AuditAction; target: string; before: unknown; after: unknown },
  change: () => Promise<T>,
  options: {
    onSuccess?: (result: T) => AuditOutcome;
    onFailure?: (err: unknown) => AuditOutcome;
    write?: (entry: NewAuditEntry) => Promise<void>;
  } = {},
): Promise<AuditedResult<T>> {
  const write = options.write ?? writeToStore;
  const base = { action: entry.action, target: entry.target, before: entry.before };
  await write(
    auditEntry(ctx, {
      ...base,
      after: entry.after,
      outcome: "pending",
      detail: "intent: written before the change was made; the outcome follows in a row with the same request id",
    }),
  );
  /** The outcome row: `after` as the outcome says, else as the intent said. */
  const writeOutcome = (outcome: NewAuditEntry["outcome"], said: AuditOutcome, detail: string | undefined) =>
    write(auditEntry(ctx, { ...base, after: said.after ?? entry.after, outcome, detail }));
  let result: T;
  try {
    result = await change();
  } catch (err) {
    const failure = options.onFailure?.(err) ?? {};
    try {
      await writeOutcome("failure", failure, failure.detail ?? messageOf(err));
    } catch (auditErr) {
      console.error(
        `[audit] the failure of ${entry.action} (request ${ctx.requestId}) could not be recorded:`,
        auditErr,
      );
    }
    throw err;
  }
  const success = options.onSuccess?.(result) ?? {};
  try {
    await writeOutcome(success.outcome ?? "success", success, success.detail);
    return { result };
  } catch (auditErr) {
    console.error(`[audit] the outcome of ${entry.action} (request ${ctx.requestId}) could not be recorded:`, auditErr);
    return {
      result,
      auditWarning: `The change was made and its intent is in the audit trail, but its outcome could not be recorded: ${messageOf(auditErr)}`,
    };
  }
}
