/**
 * Every action the console writes to the audit trail, grouped by what it acts on. The one list:
 * the audit filter offers and accepts these names, and `recordAudit`/`auditedChange` write no other.
 */
export const AUDIT_ACTION_GROUPS = {
  "Sign-in and access": ["auth.sign-in", "request.refused", "token.create", "token.revoke"],
  "Filter policies": ["filter-policy.update", "filter-policy.remove", "filter-policy.rollback", "filter-policy.copy"],
  "Sample messages": ["sample-message.create", "sample-message.delete"],
  "Dead letters": [
    "dead-letters.read",
    "dead-letters.reveal",
    "dead-letters.lease.take-over",
    "dead-letters.export",
    "dead-letters.delete",
    "dead-letters.purge",
    "dead-letters.replay",
    // A copy into another environment: "copy" in the DLQ's environment, "copy-in" in the target's.
    "dead-letters.copy",
    "dead-letters.copy-in",
    "dead-letters.redrive.pause",
    "dead-letters.redrive.resume",
    "dead-letters.redrive.cancel",
    "dead-letters.redrive.finish",
  ],
  "Queues and consumers": ["queue.read", "queue.read-source", "consumer.pause", "consumer.resume"],
  Alerts: [
    "alert-silence.create",
    "alert-silence.end",
    "alert-destination.create",
    "alert-destination.remove",
    "alert-webhook-secret.read",
  ],
} as const;

export type AuditAction = (typeof AUDIT_ACTION_GROUPS)[keyof typeof AUDIT_ACTION_GROUPS][number];

export const AUDIT_ACTIONS: readonly AuditAction[] = Object.values(AUDIT_ACTION_GROUPS).flat();

export const isAuditAction = (value: string): value is AuditAction =>
  (AUDIT_ACTIONS as readonly string[]).includes(value);

/** "pending": the intent of a change, written before the AWS call; its outcome follows in another row with the same request id. */
export const AUDIT_OUTCOMES = ["success", "failure", "pending"] as const;

export type AuditOutcomeValue = (typeof AUDIT_OUTCOMES)[number];

/** One change made through the console, or one attempt at it: who, when, what, before and after. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  role: string;
  /** A string, not an AuditAction: rows written by an older console may name actions no longer written. */
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  requestId: string;
  outcome: AuditOutcomeValue;
  detail?: string;
  /**
   * Where it was done: the environment's id, its region and the AWS account; all null for what
   * belongs to no environment (a sign-in). The account is null when it was not known (entries
   * written before environments, or an environment whose account STS had not named yet).
   */
  environment: string | null;
  region: string | null;
  account: string | null;
  /** The API token the request came with (its id; absent for a session's request). */
  tokenId?: string;
}

/** Which rows to read: every given condition holds. */
export interface AuditFilter {
  /** Any of these actions. */
  action?: AuditAction | readonly AuditAction[];
  /** Part of the actor's name, any case. */
  actor?: string;
  /** Part of the target (an ARN, a queue or a route), any case. */
  target?: string;
  outcome?: AuditOutcomeValue;
  /** ISO times, both included. */
  from?: string;
  to?: string;
  /** Where it was done, each exactly. */
  environment?: string;
  region?: string;
  account?: string;
  limit?: number;
}
