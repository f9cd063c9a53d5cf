import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { appendAudit, listAudit } from "./audit";
import { connectStore, createLegacySqliteFile, migrateStore, openStore, storeMigrationState } from "./db";
import { findSession, insertSession } from "./sessions";
import {
  DEFAULT_SCOPE as here,
  newAuditEntry,
  STORE_BACKENDS,
  temporaryLocation,
  temporaryStore,
} from "../../test/store-fixtures";
import { listDlqRemovals } from "./dlq-removals";
import { addPolicyVersion, getPolicyVersion, listPolicyVersions } from "./policy-history";
import { addRecentEvents, listRecentEvents, RECENT_EVENTS_KEPT } from "./recent-events";
import { getRedriveJob, listRedriveJobs } from "./redrive-jobs";
import { addSampleMessage, deleteSampleMessage, findSampleMessageByName, listSampleMessages } from "./sample-messages";

describe.each(STORE_BACKENDS)("the store on %s", (backend) => {
  const fresh = () => temporaryStore(backend, "fanout-store-", "data/fanout.db");

  it("migrates a new database once, and opens it again as it is", async () => {
    const location = await temporaryLocation(backend);
    const first = await openStore(location);
    await appendAudit(first, newAuditEntry({ after: { a: 1 }, requestId: "r1" }));
    await first.destroy();
    const again = await openStore(location);
    expect((await storeMigrationState(again, backend)).every((m) => m.applied)).toBe(true);
    expect(await listAudit(again)).toHaveLength(1);
    await again.destroy();
  });

  it("appends audit entries and lists them newest first, filtered", async () => {
    const db = await fresh();
    await appendAudit(
      db,
      newAuditEntry({
        role: "operator",
        action: "filter-policy.update",
        target: "arn:1",
        before: { policy: null },
        after: { policy: "{}" },
        requestId: "r1",
      }),
    );
    await appendAudit(
      db,
      newAuditEntry({
        actor: "bo",
        role: "admin",
        action: "filter-policy.rollback",
        target: "arn:2",
        before: null,
        requestId: "r2",
        outcome: "failure",
        detail: "AWS said no",
      }),
    );
    await appendAudit(
      db,
      newAuditEntry({
        role: "operator",
        action: "filter-policy.update",
        target: "arn:2",
        before: 1,
        after: 2,
        requestId: "r3",
      }),
    );
    expect((await listAudit(db)).map((e) => e.requestId)).toEqual(["r3", "r2", "r1"]);
    expect((await listAudit(db, { target: "arn:2" })).map((e) => e.requestId)).toEqual(["r3", "r2"]);
    expect((await listAudit(db, { actor: "ana", action: "filter-policy.update" })).map((e) => e.requestId)).toEqual([
      "r3",
      "r1",
    ]);
    expect(await listAudit(db, { limit: 1 })).toHaveLength(1);
    expect((await listAudit(db, { outcome: "failure" })).map((e) => e.requestId)).toEqual(["r2"]);
    const [, failed] = await listAudit(db);
    expect(failed).toMatchObject({ outcome: "failure", detail: "AWS said no", before: null, role: "admin" });
    expect((await listAudit(db, { target: "arn:1" }))[0]).toMatchObject({
      before: { policy: null },
      after: { policy: "{}" },
    });
  });

  it("refuses to edit, delete or empty the audit trail, whoever asks", async () => {
    const db = await fresh();
    const entry = await appendAudit(db, newAuditEntry({ action: "queue.purge", target: "arn:q", requestId: "r1" }));
    await expect(sql`UPDATE audit SET actor = 'someone else' WHERE id = ${entry.id}`.execute(db)).rejects.toThrow(
      "the audit trail is append-only",
    );
    await expect(sql`DELETE FROM audit`.execute(db)).rejects.toThrow("the audit trail is append-only");
    // SQLite has no TRUNCATE; its DELETE without WHERE is refused above.
    if (backend === "postgresql")
      await expect(sql`TRUNCATE audit`.execute(db)).rejects.toThrow("the audit trail is append-only");
    expect(await listAudit(db)).toMatchObject([{ actor: "ana", action: "queue.purge" }]);
  });

  it("keeps every policy version of a subscription, newest first", async () => {
    const db = await fresh();
    const v1 = await addPolicyVersion(db, here, {
      subscriptionArn: "arn:s",
      actor: "ana",
      scope: "MessageAttributes",
      policy: '{"a":["x"]}',
    });
    await addPolicyVersion(db, here, {
      subscriptionArn: "arn:other",
      actor: "ana",
      scope: "MessageBody",
      policy: null,
    });
    const v3 = await addPolicyVersion(db, here, {
      subscriptionArn: "arn:s",
      actor: "bo",
      scope: "MessageBody",
      policy: null,
      note: "rollback to #1",
    });
    expect((await listPolicyVersions(db, here, "arn:s")).map((v) => v.id)).toEqual([v3.id, v1.id]);
    expect(await getPolicyVersion(db, here, v1.id)).toMatchObject({
      policy: '{"a":["x"]}',
      scope: "MessageAttributes",
      actor: "ana",
    });
    expect(await getPolicyVersion(db, here, v3.id)).toMatchObject({ policy: null, note: "rollback to #1" });
    expect(await getPolicyVersion(db, here, 9999)).toBeUndefined();
  });

  it("keeps each environment and region's policy history to itself", async () => {
    const db = await fresh();
    const staging = { environment: "staging", region: "eu-west-1" };
    const version = { subscriptionArn: "arn:s", actor: "ana", scope: "MessageBody" as const, policy: null };
    const ours = await addPolicyVersion(db, here, version);
    const theirs = await addPolicyVersion(db, staging, { ...version, actor: "bo" });
    expect((await listPolicyVersions(db, here, "arn:s")).map((v) => v.actor)).toEqual(["ana"]);
    expect((await listPolicyVersions(db, staging, "arn:s")).map((v) => v.actor)).toEqual(["bo"]);
    expect(await listPolicyVersions(db, { ...here, region: "eu-west-1" }, "arn:s")).toEqual([]);
    // A version id of another environment is not found: a rollback cannot reach across.
    expect(await getPolicyVersion(db, here, theirs.id)).toBeUndefined();
    expect(await getPolicyVersion(db, staging, ours.id)).toBeUndefined();
  });

  it("keeps each environment and region's newest recent events, and lists only its own", async () => {
    const db = await fresh();
    const staging = { environment: "staging", region: "eu-west-1" };
    const event = (id: string) => ({ messageId: id, topicArn: "arn:t", body: id, attributes: {} });
    await addRecentEvents(db, here, [event("ours")]);
    await addRecentEvents(
      db,
      staging,
      Array.from({ length: RECENT_EVENTS_KEPT + 5 }, (_, i) => event(`theirs-${i}`)),
    );
    expect((await listRecentEvents(db, here, "arn:t")).map((e) => e.messageId)).toEqual(["ours"]);
    const theirs = await listRecentEvents(db, staging, "arn:t", RECENT_EVENTS_KEPT + 10);
    expect(theirs).toHaveLength(RECENT_EVENTS_KEPT);
    expect(theirs[0]?.messageId).toBe(`theirs-${RECENT_EVENTS_KEPT + 4}`);
    // The next read trims again, from the scope's own index rather than a sort of its rows.
    await addRecentEvents(db, staging, [event("theirs-next")]);
    const kept = await listRecentEvents(db, staging, "arn:t", RECENT_EVENTS_KEPT + 10);
    expect(kept).toHaveLength(RECENT_EVENTS_KEPT);
    expect(kept.at(-1)?.messageId).toBe("theirs-6");
    if (backend === "sqlite") {
      const plan = await sql<{ detail: string }>`EXPLAIN QUERY PLAN SELECT id FROM recent_events
        WHERE environment = 'staging' AND region = 'eu-west-1' ORDER BY id DESC LIMIT 1 OFFSET 10000`.execute(db);
      expect(plan.rows.map((r) => r.detail).join(" ")).toMatch(/USING COVERING INDEX recent_events_scope/);
    }
  });

  it("keeps samples by unique name, with their attributes, until deleted", async () => {
    const db = await fresh();
    const paid = await addSampleMessage(db, {
      name: "paid",
      body: '{"type":"order.paid"}',
      attributes: { eventType: { Type: "String", Value: "order.paid" } },
      createdBy: "ana",
    });
    await addSampleMessage(db, { name: "another", body: "x", attributes: {}, createdBy: "bo" });
    expect((await listSampleMessages(db)).map((s) => s.name)).toEqual(["another", "paid"]);
    expect(await findSampleMessageByName(db, "paid")).toMatchObject({
      id: paid.id,
      attributes: { eventType: { Type: "String", Value: "order.paid" } },
      createdBy: "ana",
    });
    await expect(addSampleMessage(db, { name: "paid", body: "y", attributes: {}, createdBy: "bo" })).rejects.toThrow(
      /UNIQUE|unique constraint/,
    );
    expect(await deleteSampleMessage(db, paid.id)).toBe(true);
    expect(await deleteSampleMessage(db, paid.id)).toBe(false);
    expect((await listSampleMessages(db)).map((s) => s.name)).toEqual(["another"]);
  });
});

// A SQLite store belongs to one process; replicas share PostgreSQL.
describe("the store in PostgreSQL", () => {
  it("migrates once when two replicas start at the same time", async () => {
    const location = await temporaryLocation("postgresql");
    const [a, b] = [connectStore(location).db, connectStore(location).db];
    // Each applies what the other has not: together, every migration exactly once, and neither fails.
    const applied = await Promise.all([migrateStore(a, "postgresql"), migrateStore(b, "postgresql")]);
    expect(applied.flat().sort()).toEqual((await storeMigrationState(a, "postgresql")).map((m) => m.name).sort());
    await appendAudit(b, newAuditEntry({ requestId: "after-both" }));
    expect((await listAudit(a)).map((e) => e.requestId)).toEqual(["after-both"]);
    await Promise.all([a.destroy(), b.destroy()]);
  });
});

describe("the store in SQLite", () => {
  it("gives sessions from before roles per environment none: their one role applies everywhere", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "fanout-store-"));
    const file = path.join(dir, "fanout.db");
    // As the file was before the 10th migration, which added the roles.
    const older = createLegacySqliteFile(file, 9);
    older
      .prepare(`INSERT INTO sessions (id, username, provider, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`)
      .run("s1", "ana", "oidc", "operator", 1, 2);
    older.close();
    const upgraded = await openStore({ sqliteFile: file });
    expect(await findSession(upgraded, "s1")).toMatchObject({ username: "ana", role: "operator", roles: {} });
    await insertSession(upgraded, {
      id: "s2",
      username: "bo",
      provider: "oidc",
      role: "viewer",
      roles: { staging: "operator" },
      createdAt: 3,
      expiresAt: 4,
    });
    expect((await findSession(upgraded, "s2"))?.roles).toEqual({ staging: "operator" });
  });

  it("keeps the database file owner-only, also one made before with wider permissions", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "fanout-store-"));
    const created = path.join(dir, "fanout.db");
    await (await openStore({ sqliteFile: created })).destroy();
    expect(statSync(created).mode & 0o777).toBe(0o600);
    const older = path.join(dir, "older.db");
    writeFileSync(older, "", { mode: 0o644 });
    const db = await openStore({ sqliteFile: older });
    await appendAudit(db, newAuditEntry());
    expect(statSync(older).mode & 0o777).toBe(0o600);
    expect(statSync(`${older}-wal`).mode & 0o777).toBe(0o600);
    await db.destroy();
  });

  it("gives a data dir from before the two backends the schema a new one gets", async () => {
    // What SQLite makes of a declared type (Datatypes In SQLite, 3.1 Determination Of Column Affinity).
    const affinity = (declared: string) =>
      /INT/i.test(declared)
        ? "integer"
        : /CHAR|CLOB|TEXT/i.test(declared)
          ? "text"
          : /REAL|FLOA|DOUB/i.test(declared)
            ? "real"
            : declared;
    const columns = async (file: string) => {
      const db = await openStore({ sqliteFile: file });
      const tables = await db.introspection.getTables();
      await db.destroy();
      return Object.fromEntries(
        tables.map((t) => [
          t.name,
          t.columns.map((c) => `${c.name} ${affinity(c.dataType)} ${c.isNullable ? "null" : "not null"}`).sort(),
        ]),
      );
    };
    const dir = mkdtempSync(path.join(os.tmpdir(), "fanout-store-"));
    createLegacySqliteFile(path.join(dir, "legacy.db"), 11).close();
    const upgraded = await columns(path.join(dir, "legacy.db"));
    const created = await columns(path.join(dir, "new.db"));
    expect(Object.keys(upgraded).sort()).toEqual(Object.keys(created).sort());
    for (const table of Object.keys(created)) expect([table, upgraded[table]]).toEqual([table, created[table]]);
  });
});

describe("upgrading a store written before environments", () => {
  it("opens it with every row as environment default, in the region the console used then", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "fanout-store-"));
    const file = path.join(dir, "fanout.db");
    // The store as the console before environments left it (schema version 10), with a row in each table.
    const old = createLegacySqliteFile(file, 10);
    old
      .prepare(
        `INSERT INTO audit (at, actor, role, action, target, before_json, after_json, request_id, outcome)
         VALUES ('2026-01-01T00:00:00.000Z', 'ana', 'operator', 'consumer.pause', 'uuid-1', 'null', 'null', 'r-old', 'success')`,
      )
      .run();
    old
      .prepare(
        `INSERT INTO policy_versions (subscription_arn, at, actor, scope, policy) VALUES ('arn:s', '2026-01-01', 'ana', 'MessageAttributes', '{}')`,
      )
      .run();
    old
      .prepare(
        `INSERT INTO redrive_jobs (id, created_at, updated_at, actor, role, request_id, dlq_name, dlq_url, dlq_arn,
           fifo, selection_json, lease_seconds, engine, status)
         VALUES ('job-old', '2026-01-01', '2026-01-01', 'otto', 'operator', 'r-job', 'orders-dlq', 'u', 'a', 0,
           '{"kind":"all"}', 60, 'fanout', 'running')`,
      )
      .run();
    old
      .prepare(
        `INSERT INTO recent_events (message_id, topic_arn, received_at, body, attributes_json) VALUES ('m-old', 'arn:t', '2026-01-01', '{}', '{}')`,
      )
      .run();
    old
      .prepare(`INSERT INTO dlq_removals (queue_name, at, count, source) VALUES ('orders-dlq', 1000, 4, 'delete')`)
      .run();
    old.close();

    const db = await openStore({ sqliteFile: file }, { region: "eu-west-1" });
    const before = { environment: "default", region: "eu-west-1" };
    expect((await storeMigrationState(db, "sqlite")).every((m) => m.applied)).toBe(true);
    expect(await listAudit(db, { environment: "default", region: "eu-west-1" })).toMatchObject([
      { requestId: "r-old", environment: "default", region: "eu-west-1", account: null },
    ]);
    expect(await listPolicyVersions(db, before, "arn:s")).toMatchObject([{ actor: "ana", policy: "{}" }]);
    expect(await getRedriveJob(db, "job-old")).toMatchObject({ scope: before, status: "running" });
    expect((await listRedriveJobs(db, before)).map((j) => j.id)).toEqual(["job-old"]);
    expect((await listRecentEvents(db, before, "arn:t")).map((e) => e.messageId)).toEqual(["m-old"]);
    expect((await listDlqRemovals(db, before, ["orders-dlq"], 0)).get("orders-dlq")).toEqual([
      { at: 1000, count: 4, source: "delete" },
    ]);
    // Nothing of it belongs anywhere else, and the trail stays append-only.
    expect(await listRedriveJobs(db, here)).toEqual([]);
    await expect(sql`UPDATE audit SET environment = 'staging'`.execute(db)).rejects.toThrow("append-only");
    // New rows name their environment; rows written with NULLs (a sign-in) belong to none.
    await appendAudit(db, newAuditEntry({ requestId: "r-sign-in", environment: null, region: null, account: null }));
    expect((await listAudit(db, { environment: "default" })).map((e) => e.requestId)).toEqual(["r-old"]);
    expect((await listAudit(db)).map((e) => [e.requestId, e.environment])).toEqual([
      ["r-sign-in", null],
      ["r-old", "default"],
    ]);
  });
});
