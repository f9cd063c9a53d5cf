/** One change made through the console, or one attempt at it: who, when, what, before and after. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  requestId: string;
  /** "pending": the intent of a change, written before the AWS call; its outcome follows in another row with the same request id. */
  outcome: AuditOutcomeValue;
  detail?: string;
}

export type AuditOutcomeValue = "success" | "failure" | "pending";

export interface AuditFilter {
  target?: string;
  action?: string;
  actor?: string;
  outcome?: AuditOutcomeValue;
  limit?: number;
}
