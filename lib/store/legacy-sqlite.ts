import "server-only";
import type Database from "better-sqlite3";

/**
 * The SQLite store as consoles before the two backends left it: its schema changes as numbered SQL,
 * applied in order and counted in `PRAGMA user_version`. A data dir from then is brought to the last
 * of them here, once; from there the store's versioned migrations (lib/store/migrations.ts) take over,
 * their first one being exactly this schema.
 */

/**
 * Where the console acted before it knew environments: rows written then belong to environment
 * `default` in this region (AWS_REGION, the one region the console used).
 */
export interface LegacyScope {
  region: string;
}

type Migration = string | ((legacy: LegacyScope) => string);

const legacyMigrations: Migration[] = [
  `CREATE TABLE audit (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     actor TEXT NOT NULL,
     role TEXT NOT NULL,
     action TEXT NOT NULL,
     target TEXT NOT NULL,
     before_json TEXT,
     after_json TEXT,
     request_id TEXT NOT NULL,
     outcome TEXT NOT NULL,
     detail TEXT
   );
   CREATE INDEX audit_target ON audit (target, id);
   CREATE TABLE policy_versions (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     subscription_arn TEXT NOT NULL,
     at TEXT NOT NULL,
     actor TEXT NOT NULL,
     scope TEXT NOT NULL,
     policy TEXT,
     note TEXT
   );
   CREATE INDEX policy_versions_subscription ON policy_versions (subscription_arn, id);`,
  `CREATE TABLE sample_messages (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     name TEXT NOT NULL UNIQUE,
     body TEXT NOT NULL,
     attributes_json TEXT NOT NULL,
     created_by TEXT NOT NULL,
     created_at TEXT NOT NULL
   );`,
  // Redrive jobs and, per job, every dead letter it has touched: what makes a job resumable after
  // a crash without losing or (on FIFO) duplicating a message.
  `CREATE TABLE redrive_jobs (
     id TEXT PRIMARY KEY,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     finished_at TEXT,
     actor TEXT NOT NULL,
     role TEXT NOT NULL,
     request_id TEXT NOT NULL,
     client_key TEXT,
     dlq_name TEXT NOT NULL,
     dlq_url TEXT NOT NULL,
     dlq_arn TEXT NOT NULL,
     fifo INTEGER NOT NULL,
     target_json TEXT,
     selection_json TEXT NOT NULL,
     edits_json TEXT,
     rate_per_second REAL,
     lease_seconds INTEGER NOT NULL,
     engine TEXT NOT NULL,
     status TEXT NOT NULL,
     moved INTEGER NOT NULL DEFAULT 0,
     failed INTEGER NOT NULL DEFAULT 0,
     resent INTEGER NOT NULL DEFAULT 0,
     remaining INTEGER,
     task_handle TEXT,
     owner TEXT,
     heartbeat_at INTEGER,
     note TEXT,
     error TEXT
   );
   CREATE INDEX redrive_jobs_dlq ON redrive_jobs (dlq_name, created_at);
   CREATE UNIQUE INDEX redrive_jobs_client_key ON redrive_jobs (actor, client_key);
   CREATE TABLE redrive_items (
     job_id TEXT NOT NULL,
     message_id TEXT NOT NULL,
     state TEXT NOT NULL,
     target_message_id TEXT,
     attempts INTEGER NOT NULL DEFAULT 0,
     error TEXT,
     PRIMARY KEY (job_id, message_id)
   );`,
  // The latest events read from the tap queue (an unfiltered subscriber nobody else consumes):
  // AWS keeps no list of what a topic published, so the console keeps the last few itself.
  `CREATE TABLE recent_events (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     message_id TEXT NOT NULL UNIQUE,
     topic_arn TEXT NOT NULL,
     published_at TEXT,
     received_at TEXT NOT NULL,
     body TEXT NOT NULL,
     attributes_json TEXT NOT NULL
   );
   CREATE INDEX recent_events_topic ON recent_events (topic_arn, id);`,
  // The audit trail is append-only in the database itself, not only in the code that writes it.
  `CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
   CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
   CREATE INDEX audit_action ON audit (action, id);`,
  // Console sessions on the server, so that signing out, removing a user or the absolute lifetime
  // ends a session even though its signed cookie is still a valid JWT (lib/auth/sessions.ts).
  `CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     username TEXT NOT NULL,
     provider TEXT NOT NULL,
     role TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     ended_at INTEGER,
     end_reason TEXT
   );
   CREATE INDEX sessions_username ON sessions (username);
   CREATE INDEX sessions_expires ON sessions (expires_at);`,
  // Redrive engine: how many dead letters a job looked at and left alone (a full sweep reports
  // them), the DLQ's source queues for a job that sends each letter back to its own source, and
  // when each letter was first sent (a FIFO resend after the 5-minute deduplication interval may
  // be a duplicate).
  `ALTER TABLE redrive_jobs ADD COLUMN examined INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE redrive_jobs ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE redrive_jobs ADD COLUMN sources_json TEXT;
   ALTER TABLE redrive_items ADD COLUMN first_sent_at INTEGER;`,
  // Dead letters the console itself took out of a DLQ (replays, deletes, purges, move tasks), as
  // they happen: the SLA adds them back to the DLQ's depth so that a repair never reads as inflow.
  `CREATE TABLE dlq_removals (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     queue_name TEXT NOT NULL,
     at INTEGER NOT NULL,
     count INTEGER NOT NULL,
     source TEXT NOT NULL
   );
   CREATE INDEX dlq_removals_queue ON dlq_removals (queue_name, at);`,
  // The replay check's warning as a job started: its letters would likely fail again (never a refusal).
  `ALTER TABLE redrive_jobs ADD COLUMN warning_json TEXT;`,
  // A session's roles per environment at sign-in (single sign-on users' come from their groups); sessions
  // from before keep their one role everywhere.
  `ALTER TABLE sessions ADD COLUMN roles_json TEXT NOT NULL DEFAULT '{}';`,
  // Environments: every row of AWS-side data names the environment and region it belongs to, and an
  // audit entry the account too. Rows written before belong to environment `default` in the region the
  // console acted in then: the columns' defaults, so that no row (the append-only audit's included) is
  // rewritten. Audit entries of no environment (sign-ins) are written with NULLs; the account of older
  // entries is unknown. Redrive jobs' client keys are unique per environment and region.
  (legacy) => `
   ALTER TABLE audit ADD COLUMN environment TEXT DEFAULT 'default';
   ALTER TABLE audit ADD COLUMN region TEXT DEFAULT ${sqlText(legacy.region)};
   ALTER TABLE audit ADD COLUMN account TEXT;
   CREATE INDEX audit_environment ON audit (environment, region, id);
   ALTER TABLE policy_versions ADD COLUMN environment TEXT NOT NULL DEFAULT 'default';
   ALTER TABLE policy_versions ADD COLUMN region TEXT NOT NULL DEFAULT ${sqlText(legacy.region)};
   ALTER TABLE redrive_jobs ADD COLUMN environment TEXT NOT NULL DEFAULT 'default';
   ALTER TABLE redrive_jobs ADD COLUMN region TEXT NOT NULL DEFAULT ${sqlText(legacy.region)};
   ALTER TABLE recent_events ADD COLUMN environment TEXT NOT NULL DEFAULT 'default';
   ALTER TABLE recent_events ADD COLUMN region TEXT NOT NULL DEFAULT ${sqlText(legacy.region)};
   ALTER TABLE dlq_removals ADD COLUMN environment TEXT NOT NULL DEFAULT 'default';
   ALTER TABLE dlq_removals ADD COLUMN region TEXT NOT NULL DEFAULT ${sqlText(legacy.region)};
   DROP INDEX policy_versions_subscription;
   CREATE INDEX policy_versions_subscription ON policy_versions (environment, region, subscription_arn, id);
   DROP INDEX redrive_jobs_dlq;
   CREATE INDEX redrive_jobs_dlq ON redrive_jobs (environment, region, dlq_name, created_at);
   DROP INDEX redrive_jobs_client_key;
   CREATE UNIQUE INDEX redrive_jobs_client_key ON redrive_jobs (environment, region, actor, client_key);
   DROP INDEX recent_events_topic;
   CREATE INDEX recent_events_topic ON recent_events (environment, region, topic_arn, id);
   DROP INDEX dlq_removals_queue;
   CREATE INDEX dlq_removals_queue ON dlq_removals (environment, region, queue_name, at);`,
];

/** A region code as an SQL string literal; anything else is refused rather than quoted. */
function sqlText(region: string): string {
  if (!/^[a-z0-9-]+$/.test(region)) throw new Error(`not a region code: ${JSON.stringify(region)}`);
  return `'${region}'`;
}

/** The last legacy version: the schema the store's first versioned migration starts from. */
export const LEGACY_FINAL_VERSION = legacyMigrations.length;

/**
 * Brings a legacy SQLite file to LEGACY_FINAL_VERSION and says whether it had a legacy schema; a new,
 * empty file is left alone. `version` builds a file as an older console left it (tests of the upgrade).
 */
export function upgradeLegacySqlite(db: Database.Database, legacy: LegacyScope, version?: number): boolean {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current === 0 && version === undefined) return false;
  for (let i = current; i < (version ?? LEGACY_FINAL_VERSION); i++) {
    db.transaction(() => {
      const migration = legacyMigrations[i]!;
      db.exec(typeof migration === "string" ? migration : migration(legacy));
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
  return true;
}
