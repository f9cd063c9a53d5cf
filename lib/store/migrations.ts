import "server-only";
import { sql, type ColumnDefinitionBuilder, type Kysely } from "kysely";
import type { Migration } from "kysely";

/** Where the store lives: one schema and one set of queries, in either database. */
export type StoreBackend = "sqlite" | "postgresql";

/**
 * The store's versioned migrations, applied in name order by Kysely's Migrator at start-up (under
 * its lock: a PostgreSQL advisory lock, so two replicas never migrate at once) or by `npm run db:migrate`.
 * Written once for both backends with the schema builder; what only one backend can say (identity
 * columns, triggers) is picked by `backend`. `adoptLegacy`: the SQLite file already holds the first
 * migration's tables, made by the numbered SQL of older consoles (lib/store/legacy-sqlite.ts).
 */
export function storeMigrations(backend: StoreBackend, adoptLegacy: boolean): Record<string, Migration> {
  const id = (column: ColumnDefinitionBuilder) =>
    backend === "postgresql" ? column.primaryKey().generatedByDefaultAsIdentity() : column.primaryKey().autoIncrement();
  return {
    "0001-tables": {
      async up(db: Kysely<unknown>) {
        if (adoptLegacy) return;
        await db.schema
          .createTable("audit")
          .addColumn("id", "integer", id)
          .addColumn("at", "text", (c) => c.notNull())
          .addColumn("actor", "text", (c) => c.notNull())
          .addColumn("role", "text", (c) => c.notNull())
          .addColumn("action", "text", (c) => c.notNull())
          .addColumn("target", "text", (c) => c.notNull())
          .addColumn("before_json", "text")
          .addColumn("after_json", "text")
          .addColumn("request_id", "text", (c) => c.notNull())
          .addColumn("outcome", "text", (c) => c.notNull())
          .addColumn("detail", "text")
          .addColumn("environment", "text")
          .addColumn("region", "text")
          .addColumn("account", "text")
          .execute();
        await db.schema.createIndex("audit_target").on("audit").columns(["target", "id"]).execute();
        await db.schema.createIndex("audit_action").on("audit").columns(["action", "id"]).execute();
        await db.schema.createIndex("audit_environment").on("audit").columns(["environment", "region", "id"]).execute();
        await appendOnly(db, backend);

        await db.schema
          .createTable("policy_versions")
          .addColumn("id", "integer", id)
          .addColumn("subscription_arn", "text", (c) => c.notNull())
          .addColumn("at", "text", (c) => c.notNull())
          .addColumn("actor", "text", (c) => c.notNull())
          .addColumn("scope", "text", (c) => c.notNull())
          .addColumn("policy", "text")
          .addColumn("note", "text")
          .addColumn("environment", "text", (c) => c.notNull())
          .addColumn("region", "text", (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex("policy_versions_subscription")
          .on("policy_versions")
          .columns(["environment", "region", "subscription_arn", "id"])
          .execute();

        await db.schema
          .createTable("sample_messages")
          .addColumn("id", "integer", id)
          .addColumn("name", "text", (c) => c.notNull().unique())
          .addColumn("body", "text", (c) => c.notNull())
          .addColumn("attributes_json", "text", (c) => c.notNull())
          .addColumn("created_by", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .execute();

        // Redrive jobs and, per job, every dead letter it has touched: what makes a job resumable after
        // a crash without losing or (on FIFO) duplicating a message.
        await db.schema
          .createTable("redrive_jobs")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("updated_at", "text", (c) => c.notNull())
          .addColumn("finished_at", "text")
          .addColumn("actor", "text", (c) => c.notNull())
          .addColumn("role", "text", (c) => c.notNull())
          .addColumn("request_id", "text", (c) => c.notNull())
          .addColumn("client_key", "text")
          .addColumn("dlq_name", "text", (c) => c.notNull())
          .addColumn("dlq_url", "text", (c) => c.notNull())
          .addColumn("dlq_arn", "text", (c) => c.notNull())
          .addColumn("fifo", "integer", (c) => c.notNull())
          .addColumn("target_json", "text")
          .addColumn("selection_json", "text", (c) => c.notNull())
          .addColumn("edits_json", "text")
          .addColumn("rate_per_second", "double precision")
          .addColumn("lease_seconds", "integer", (c) => c.notNull())
          .addColumn("engine", "text", (c) => c.notNull())
          .addColumn("status", "text", (c) => c.notNull())
          .addColumn("moved", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("failed", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("resent", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("remaining", "integer")
          .addColumn("task_handle", "text")
          .addColumn("owner", "text")
          .addColumn("heartbeat_at", "bigint")
          .addColumn("note", "text")
          .addColumn("error", "text")
          .addColumn("examined", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("skipped", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("sources_json", "text")
          .addColumn("warning_json", "text")
          .addColumn("environment", "text", (c) => c.notNull())
          .addColumn("region", "text", (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex("redrive_jobs_dlq")
          .on("redrive_jobs")
          .columns(["environment", "region", "dlq_name", "created_at"])
          .execute();
        await db.schema
          .createIndex("redrive_jobs_client_key")
          .unique()
          .on("redrive_jobs")
          .columns(["environment", "region", "actor", "client_key"])
          .execute();
        await db.schema
          .createTable("redrive_items")
          .addColumn("job_id", "text", (c) => c.notNull())
          .addColumn("message_id", "text", (c) => c.notNull())
          .addColumn("state", "text", (c) => c.notNull())
          .addColumn("target_message_id", "text")
          .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("error", "text")
          .addColumn("first_sent_at", "bigint")
          .addPrimaryKeyConstraint("redrive_items_pk", ["job_id", "message_id"])
          .execute();

        // The latest events read from the tap queue (an unfiltered subscriber nobody else consumes):
        // AWS keeps no list of what a topic published, so the console keeps the last few itself.
        await db.schema
          .createTable("recent_events")
          .addColumn("id", "integer", id)
          .addColumn("message_id", "text", (c) => c.notNull().unique())
          .addColumn("topic_arn", "text", (c) => c.notNull())
          .addColumn("published_at", "text")
          .addColumn("received_at", "text", (c) => c.notNull())
          .addColumn("body", "text", (c) => c.notNull())
          .addColumn("attributes_json", "text", (c) => c.notNull())
          .addColumn("environment", "text", (c) => c.notNull())
          .addColumn("region", "text", (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex("recent_events_topic")
          .on("recent_events")
          .columns(["environment", "region", "topic_arn", "id"])
          .execute();

        // Console sessions on the server, so that signing out, removing a user or the absolute lifetime
        // ends a session even though its signed cookie is still a valid JWT (lib/auth/sessions.ts).
        await db.schema
          .createTable("sessions")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("username", "text", (c) => c.notNull())
          .addColumn("provider", "text", (c) => c.notNull())
          .addColumn("role", "text", (c) => c.notNull())
          .addColumn("created_at", "bigint", (c) => c.notNull())
          .addColumn("expires_at", "bigint", (c) => c.notNull())
          .addColumn("ended_at", "bigint")
          .addColumn("end_reason", "text")
          .addColumn("roles_json", "text", (c) => c.notNull().defaultTo("{}"))
          .execute();
        await db.schema.createIndex("sessions_username").on("sessions").column("username").execute();
        await db.schema.createIndex("sessions_expires").on("sessions").column("expires_at").execute();

        // Dead letters the console itself took out of a DLQ (replays, deletes, purges, move tasks), as
        // they happen: the SLA adds them back to the DLQ's depth so that a repair never reads as inflow.
        await db.schema
          .createTable("dlq_removals")
          .addColumn("id", "integer", id)
          .addColumn("queue_name", "text", (c) => c.notNull())
          .addColumn("at", "bigint", (c) => c.notNull())
          .addColumn("count", "integer", (c) => c.notNull())
          .addColumn("source", "text", (c) => c.notNull())
          .addColumn("environment", "text", (c) => c.notNull())
          .addColumn("region", "text", (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex("dlq_removals_queue")
          .on("dlq_removals")
          .columns(["environment", "region", "queue_name", "at"])
          .execute();
      },
    },
    // Team mode: named leases (one replica at a time does what must happen once, e.g. drain a tap
    // queue), and a fencing token per redrive job claim, so that a runner that lost its job to
    // another replica is refused at its next send or delete.
    "0002-leases": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("leases")
          .addColumn("name", "text", (c) => c.primaryKey())
          .addColumn("owner", "text", (c) => c.notNull())
          .addColumn("token", "bigint", (c) => c.notNull())
          .addColumn("expires_at", "bigint", (c) => c.notNull())
          .execute();
        await db.schema
          .alterTable("redrive_jobs")
          .addColumn("lease_token", "bigint", (c) => c.notNull().defaultTo(0))
          .execute();
      },
    },
    "0003-sign-in-limits": {
      // Failed sign-ins and refusals counted in the store, so every replica counts against the same
      // limits (lib/store/sign-in-limits.ts). Rows that left the window are deleted by `at`.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("sign_in_failures")
          .addColumn("id", "integer", id)
          .addColumn("key", "text", (c) => c.notNull())
          .addColumn("at", "bigint", (c) => c.notNull())
          .execute();
        await db.schema.createIndex("sign_in_failures_key").on("sign_in_failures").columns(["key", "at"]).execute();
        await db.schema.createIndex("sign_in_failures_at").on("sign_in_failures").column("at").execute();
        await db.schema
          .createTable("sign_in_refusals")
          .addColumn("key", "text", (c) => c.primaryKey())
          .addColumn("since", "bigint", (c) => c.notNull())
          .addColumn("count", "integer", (c) => c.notNull())
          .execute();
      },
    },
    "0004-dead-letter-leases": {
      // Leases on dead letters in the store, so that one opened through a replica is renewed, used and
      // released through any other (lib/store/dead-letter-leases.ts). Letters are sealed at rest.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("dead_letter_leases")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("environment", "text", (c) => c.notNull())
          .addColumn("region", "text", (c) => c.notNull())
          .addColumn("username", "text", (c) => c.notNull())
          .addColumn("queue_name", "text", (c) => c.notNull())
          .addColumn("queue_json", "text", (c) => c.notNull())
          .addColumn("dead_letter", "integer", (c) => c.notNull())
          .addColumn("capped", "integer", (c) => c.notNull())
          .addColumn("started_at", "bigint", (c) => c.notNull())
          .addColumn("ends_at", "bigint", (c) => c.notNull())
          .addColumn("ended_at", "bigint")
          .addColumn("taken_over_by", "text")
          .addColumn("taken_over_at", "text")
          .execute();
        await db.schema
          .createIndex("dead_letter_leases_queue")
          .on("dead_letter_leases")
          .columns(["environment", "region", "queue_name", "ends_at"])
          .execute();
        await db.schema
          .createIndex("dead_letter_leases_user")
          .on("dead_letter_leases")
          .columns(["username", "ends_at"])
          .execute();
        await db.schema
          .createTable("dead_letter_lease_letters")
          .addColumn("lease_id", "text", (c) => c.notNull())
          .addColumn("message_id", "text", (c) => c.notNull())
          .addColumn("position", "integer", (c) => c.notNull())
          .addColumn("sealed", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("dead_letter_lease_letters_pk", ["lease_id", "message_id"])
          .execute();
      },
    },
    "0005-api-tokens": {
      // API tokens, and which token an audited request came with (lib/store/api-tokens.ts).
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("api_tokens")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("name", "text", (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("owner", "text", (c) => c.notNull())
          .addColumn("created_by", "text", (c) => c.notNull())
          .addColumn("role", "text", (c) => c.notNull())
          .addColumn("roles_json", "text", (c) => c.notNull())
          .addColumn("secret_hash", "text", (c) => c.notNull())
          .addColumn("created_at", "bigint", (c) => c.notNull())
          .addColumn("expires_at", "bigint", (c) => c.notNull())
          .addColumn("revoked_at", "bigint")
          .addColumn("revoked_by", "text")
          .addColumn("last_used_at", "bigint")
          .addColumn("last_used_address", "text")
          .execute();
        await db.schema.createIndex("api_tokens_owner").on("api_tokens").column("owner").execute();
        await db.schema.alterTable("audit").addColumn("token_id", "text").execute();
      },
    },
    "0006-bindings": {
      // Role bindings (lib/domain/bindings.ts): a single sign-on session keeps the user's groups, mapped
      // to bindings on each request, and a token its own bindings with its creator's at the time.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable("sessions").addColumn("groups_json", "text").execute();
        await db.schema.alterTable("api_tokens").addColumn("bindings_json", "text").execute();
      },
    },
    "0007-alerts": {
      // Alerts (lib/store/alerts.ts, lib/store/alert-outbox.ts): each alert's state, the operators'
      // silences, and the outbox its notifications are delivered from, at least once, by any replica.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("alert_states")
          .addColumn("dedup_key", "text", (c) => c.primaryKey())
          .addColumn("environment", "text", (c) => c.notNull())
          .addColumn("region", "text", (c) => c.notNull())
          .addColumn("rule", "text", (c) => c.notNull())
          .addColumn("resource", "text", (c) => c.notNull())
          .addColumn("status", "text", (c) => c.notNull())
          .addColumn("since", "bigint", (c) => c.notNull())
          .addColumn("resolved_at", "bigint")
          .addColumn("summary", "text", (c) => c.notNull())
          .addColumn("link", "text", (c) => c.notNull())
          .addColumn("evaluated_at", "bigint", (c) => c.notNull())
          .addColumn("notified_at", "bigint")
          .addColumn("notified_status", "text")
          .addColumn("untold_json", "text")
          .addColumn("version", "integer", (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex("alert_states_scope")
          .on("alert_states")
          .columns(["environment", "region", "status", "since"])
          .execute();
        await db.schema
          .createTable("alert_silences")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("environment", "text", (c) => c.notNull())
          .addColumn("region", "text", (c) => c.notNull())
          .addColumn("rule", "text")
          .addColumn("resource", "text")
          .addColumn("reason", "text", (c) => c.notNull())
          .addColumn("created_by", "text", (c) => c.notNull())
          .addColumn("created_at", "bigint", (c) => c.notNull())
          .addColumn("expires_at", "bigint", (c) => c.notNull())
          .addColumn("ended_at", "bigint")
          .addColumn("ended_by", "text")
          .execute();
        await db.schema
          .createIndex("alert_silences_scope")
          .on("alert_silences")
          .columns(["environment", "region", "expires_at"])
          .execute();
        await db.schema
          .createTable("alert_outbox")
          .addColumn("id", "integer", id)
          .addColumn("environment", "text", (c) => c.notNull())
          .addColumn("region", "text", (c) => c.notNull())
          .addColumn("dedup_key", "text", (c) => c.notNull())
          .addColumn("destination", "text", (c) => c.notNull())
          .addColumn("payload", "text", (c) => c.notNull())
          .addColumn("created_at", "bigint", (c) => c.notNull())
          .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("next_attempt_at", "bigint", (c) => c.notNull())
          .addColumn("last_attempt_at", "bigint")
          .addColumn("last_error", "text")
          .addColumn("delivered_at", "bigint")
          .addColumn("given_up_at", "bigint")
          .addColumn("claimed_by", "text")
          .addColumn("claimed_until", "bigint")
          .addColumn("claim_token", "bigint", (c) => c.notNull().defaultTo(0))
          .execute();
        // Delivered rows stay a while for the page: the due ones are found without reading them.
        await db.schema
          .createIndex("alert_outbox_due")
          .on("alert_outbox")
          .columns(["next_attempt_at", "id"])
          .where(sql.ref("delivered_at"), "is", null)
          .where(sql.ref("given_up_at"), "is", null)
          .execute();
        // The order of one alert's notifications to one destination: an earlier one goes first.
        await db.schema
          .createIndex("alert_outbox_alert")
          .on("alert_outbox")
          .columns(["destination", "dedup_key", "id"])
          .execute();
        await db.schema
          .createIndex("alert_outbox_scope")
          .on("alert_outbox")
          .columns(["environment", "region", "id"])
          .execute();
      },
    },
    "0008-alert-destinations": {
      // Alert destinations an admin adds on the alerts page (lib/store/alert-destinations.ts): per
      // environment, a name unique in it, and the settings with their secrets sealed (lib/sealing.ts).
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("alert_destinations")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("environment", "text", (c) => c.notNull())
          .addColumn("name", "text", (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("target", "text", (c) => c.notNull())
          .addColumn("sealed", "text", (c) => c.notNull())
          .addColumn("created_by", "text", (c) => c.notNull())
          .addColumn("created_at", "bigint", (c) => c.notNull())
          .addUniqueConstraint("alert_destinations_name", ["environment", "name"])
          .execute();
      },
    },
    "0009-alert-depths": {
      // What each DLQ held at the last alert evaluation (lib/store/alerts.ts), so that the next one,
      // on whichever replica leads then, tells the dead letters that arrived since.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("alert_dlq_depths")
          .addColumn("environment", "text", (c) => c.notNull())
          .addColumn("region", "text", (c) => c.notNull())
          .addColumn("dlq_arn", "text", (c) => c.notNull())
          .addColumn("depth", "bigint", (c) => c.notNull())
          .addColumn("read_at", "bigint", (c) => c.notNull())
          .addPrimaryKeyConstraint("alert_dlq_depths_pk", ["environment", "region", "dlq_arn"])
          .execute();
      },
    },
    "0010-recent-events-scope": {
      // The console keeps 10,000 recent events per environment and region (lib/store/recent-events.ts):
      // finding the oldest to keep walks this index instead of sorting the scope's rows on every tap read.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createIndex("recent_events_scope")
          .on("recent_events")
          .columns(["environment", "region", "id"])
          .execute();
      },
    },
  };
}

/**
 * The audit trail is append-only in the database itself, not only in the code that writes it: any
 * update, delete (or, in PostgreSQL, truncate) of it fails with the same message in both backends.
 */
async function appendOnly(db: Kysely<unknown>, backend: StoreBackend) {
  if (backend === "sqlite") {
    await sql`CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END`.execute(
      db,
    );
    await sql`CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END`.execute(
      db,
    );
    return;
  }
  await sql`CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$`.execute(db);
  await sql`CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only()`.execute(db);
  await sql`CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`.execute(db);
}
