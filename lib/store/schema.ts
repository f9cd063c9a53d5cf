import type { Generated } from "kysely";

/**
 * The store's tables as both backends hold them. Times the console compares as text are ISO-8601
 * strings (`at`, `created_at`); times it does arithmetic on are epoch milliseconds (bigint in
 * PostgreSQL, read back as numbers). JSON values are text in both: the store never queries inside them.
 */
export interface StoreTables {
  audit: AuditTable;
  policy_versions: PolicyVersionsTable;
  sample_messages: SampleMessagesTable;
  redrive_jobs: RedriveJobsTable;
  redrive_items: RedriveItemsTable;
  recent_events: RecentEventsTable;
  sessions: SessionsTable;
  dlq_removals: DlqRemovalsTable;
  leases: LeasesTable;
  sign_in_failures: SignInFailuresTable;
  sign_in_refusals: SignInRefusalsTable;
  dead_letter_leases: DeadLetterLeasesTable;
  dead_letter_lease_letters: DeadLetterLeaseLettersTable;
  api_tokens: ApiTokensTable;
  alert_states: AlertStatesTable;
  alert_silences: AlertSilencesTable;
  alert_outbox: AlertOutboxTable;
  alert_destinations: AlertDestinationsTable;
  alert_dlq_depths: AlertDlqDepthsTable;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  actor: string;
  role: string;
  action: string;
  target: string;
  before_json: string | null;
  after_json: string | null;
  request_id: string;
  outcome: string;
  detail: string | null;
  /** NULL for entries of no environment (sign-ins). */
  environment: string | null;
  region: string | null;
  account: string | null;
  /** The API token the request came with, when it did not come with a session. */
  token_id: string | null;
}

export interface PolicyVersionsTable {
  id: Generated<number>;
  environment: string;
  region: string;
  subscription_arn: string;
  at: string;
  actor: string;
  scope: string;
  policy: string | null;
  note: string | null;
}

export interface SampleMessagesTable {
  id: Generated<number>;
  name: string;
  body: string;
  attributes_json: string;
  created_by: string;
  created_at: string;
}

export interface RedriveJobsTable {
  id: string;
  environment: string;
  region: string;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  actor: string;
  role: string;
  request_id: string;
  client_key: string | null;
  dlq_name: string;
  dlq_url: string;
  dlq_arn: string;
  /** 1 for a FIFO DLQ, 0 otherwise. */
  fifo: number;
  target_json: string | null;
  sources_json: string | null;
  selection_json: string;
  edits_json: string | null;
  rate_per_second: number | null;
  lease_seconds: number;
  engine: string;
  status: string;
  moved: Generated<number>;
  failed: Generated<number>;
  resent: Generated<number>;
  examined: Generated<number>;
  skipped: Generated<number>;
  remaining: number | null;
  task_handle: string | null;
  owner: string | null;
  heartbeat_at: number | null;
  note: string | null;
  error: string | null;
  warning_json: string | null;
  /** Raised by every claim: the fencing token a runner must still hold to send or delete. */
  lease_token: Generated<number>;
}

export interface RedriveItemsTable {
  job_id: string;
  message_id: string;
  state: string;
  target_message_id: string | null;
  attempts: Generated<number>;
  first_sent_at: number | null;
  error: string | null;
}

export interface RecentEventsTable {
  id: Generated<number>;
  environment: string;
  region: string;
  message_id: string;
  topic_arn: string;
  published_at: string | null;
  received_at: string;
  body: string;
  attributes_json: string;
}

export interface SessionsTable {
  id: string;
  username: string;
  provider: string;
  role: string;
  roles_json: Generated<string>;
  /** A single sign-on user's groups (JSON list); NULL for password users and sessions from before bindings. */
  groups_json: string | null;
  created_at: number;
  expires_at: number;
  ended_at: number | null;
  end_reason: string | null;
}

export interface DlqRemovalsTable {
  id: Generated<number>;
  environment: string;
  region: string;
  queue_name: string;
  at: number;
  count: number;
  source: string;
}

/** A named lease: held by `owner` until `expires_at` (epoch ms) unless renewed; `token` rises with each new holder. */
export interface LeasesTable {
  name: string;
  owner: string;
  token: number;
  expires_at: number;
}

/** Sign-in attempts let through, each counted as a failure under its key until it succeeds (lib/store/sign-in-limits.ts). */
export interface SignInFailuresTable {
  id: Generated<number>;
  /** A user's or an address's key (lib/domain/sign-in-limit.ts): a digest, never the name itself. */
  key: string;
  at: number;
}

/** Per key, the refusals counted since the last audited one (lib/domain/refusal-tally.ts). */
export interface SignInRefusalsTable {
  key: string;
  since: number;
  count: number;
}

/**
 * A user's lease on a queue's letters (lib/store/dead-letter-leases.ts). Kept for an hour after it
 * ends: its span counts toward a viewer's leased time on the queue.
 */
export interface DeadLetterLeasesTable {
  id: string;
  environment: string;
  region: string;
  username: string;
  queue_name: string;
  /** The queue as described when the lease was opened (QueueDescription). */
  queue_json: string;
  /** 1 when a redrive policy names the queue: deletes are for such queues only. */
  dead_letter: number;
  /** 1 for a viewer's lease: renewals are capped. */
  capped: number;
  /** When the lease began, and until when it hides (or hid) its letters; epoch ms. */
  started_at: number;
  ends_at: number;
  /** Set when the lease was released, replaced, taken over or purged: it no longer holds anything. */
  ended_at: number | null;
  taken_over_by: string | null;
  taken_over_at: string | null;
}

/** A letter held by a lease: the message as received, receipt handle included, sealed with the server secret. */
export interface DeadLetterLeaseLettersTable {
  lease_id: string;
  message_id: string;
  /** The order SQS returned them in. */
  position: number;
  sealed: string;
}

/** An API token (lib/store/api-tokens.ts): its secret only as a digest. */
export interface ApiTokensTable {
  id: string;
  name: string;
  /** "personal" (acts as its owner, never beyond their roles) or "service" (an admin's, for automation). */
  kind: string;
  /** The user a personal token acts as; a service token's own name (`service:<name>`). */
  owner: string;
  created_by: string;
  role: string;
  roles_json: string;
  /** `{ bindings, within }` (lib/store/api-tokens.ts); NULL for tokens from before bindings, which have role and roles. */
  bindings_json: string | null;
  /** SHA-256 of the secret, hex. */
  secret_hash: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  revoked_by: string | null;
  last_used_at: number | null;
  last_used_address: string | null;
}

/** One alert per rule and resource (lib/domain/alerts/alert-state.ts), kept after it resolves for "recent". */
export interface AlertStatesTable {
  /** `<environment>/<region>/<rule>/<resource>`. */
  dedup_key: string;
  environment: string;
  region: string;
  rule: string;
  resource: string;
  /** "firing" or "resolved". */
  status: string;
  /** Epoch ms, like every time of these tables. */
  since: number;
  resolved_at: number | null;
  summary: string;
  link: string;
  evaluated_at: number;
  notified_at: number | null;
  notified_status: string | null;
  /** News not told yet (AlertNews), JSON. */
  untold_json: string | null;
  /** Raised by each write: a write made from an older read is refused. */
  version: number;
}

/** An operator's silence (lib/domain/alerts/silences.ts): kept after it expires or ends, for the record. */
export interface AlertSilencesTable {
  id: string;
  environment: string;
  region: string;
  rule: string | null;
  resource: string | null;
  reason: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  ended_at: number | null;
  ended_by: string | null;
}

/**
 * A notification to deliver to one destination, at least once (lib/operations/alert-delivery.ts):
 * tried until delivered or given up, each try claimed by one replica under a rising fencing token.
 */
export interface AlertOutboxTable {
  id: Generated<number>;
  environment: string;
  region: string;
  dedup_key: string;
  /** The configured destination's id; its URL and secrets are looked up as each try is sent. */
  destination: string;
  /** The body without its secrets (lib/domain/alerts/destinations.ts). */
  payload: string;
  created_at: number;
  attempts: Generated<number>;
  next_attempt_at: number;
  last_attempt_at: number | null;
  last_error: string | null;
  delivered_at: number | null;
  /** Set when it is tried no more: a refusal that a retry cannot change, or tries for too long. */
  given_up_at: number | null;
  claimed_by: string | null;
  claimed_until: number | null;
  claim_token: Generated<number>;
}

/** A destination an admin added on the alerts page: where it goes is sealed, secrets and all. */
export interface AlertDestinationsTable {
  id: string;
  environment: string;
  /** Unique in the environment. */
  name: string;
  kind: string;
  /** Where it goes without its secrets, for the page (a URL's scheme and host). */
  target: string;
  /** The settings (lib/domain/alerts/destination-settings.ts) as JSON, sealed for the row's id. */
  sealed: string;
  created_by: string;
  created_at: number;
}

/** What a DLQ held at the last alert evaluation of its environment and region (lib/domain/alerts/evaluations.ts). */
export interface AlertDlqDepthsTable {
  environment: string;
  region: string;
  dlq_arn: string;
  /** Visible, in flight and delayed. */
  depth: number;
  read_at: number;
}
