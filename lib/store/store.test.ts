import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appendAudit, listAudit } from "./audit";
import { openDatabase } from "./db";
import { findSession, insertSession } from "./sessions";
import { DEFAULT_SCOPE as here, newAuditEntry, temporaryDatabase } from "../../test/store-fixtures";
import { listDlqRemovals } from "./dlq-removals";
import { addPolicyVersion, getPolicyVersion, listPolicyVersions } from "./policy-history";
import { addRecentEvents, listRecentEvents, RECENT_EVENTS_KEPT } from "./recent-events";
import { getRedriveJob, listRedriveJobs } from "./redrive-jobs";
import { addSampleMessage, deleteSampleMessage, findSampleMessageByName, listSampleMessages } from "./sample-messages";

const fresh = () => temporaryDatabase("fanout-store-", "data/fanout.db");

describe("the store", () => {
  it("migrates a new file once and opens it again as it is", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "fanout-store-"));
    const file = path.join(dir, "fanout.db");
    const first = openDatabase(file);
    appendAudit(first, newAuditEntry({ after: { a: 1 }, requestId: "r1" }));
    first.close();
    const again = openDatabase(file);
    expect(again.pragma("user_version", { simple: true })).toBe(11);
    expect(listAudit(again)).toHaveLength(1);
  });

  it("gives sessions from before roles per environment none: their one role applies everywhere", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "fanout-store-"));
    const file = path.join(dir, "fanout.db");
    // As the file was before the 10th migration, which added the roles.
    const older = openDatabase(file, undefined, 9);
    older
      .prepare(`INSERT INTO sessions (id, username, provider, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`)
      .run("s1", "ana", "oidc", "operator", 1, 2);
    older.close();
    const upgraded = openDatabase(file);
    expect(findSession(upgraded, "s1")).toMatchObject({ username: "ana", role: "operator", roles: {} });
    insertSession(upgraded, {
      id: "s2",
      username: "bo",
      provider: "oidc",
      role: "viewer",
      roles: { staging: "operator" },
      createdAt: 3,
      expiresAt: 4,
    });
    expect(findSession(upgraded, "s2")?.roles).toEqual({ staging: "operator" });
  });

  it("keeps the database file owner-only, also one made before with wider permissions", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "fanout-store-"));
    const created = path.join(dir, "fanout.db");
    openDatabase(created).close();
    expect(statSync(created).mode & 0o777).toBe(0o600);
    const older = path.join(dir, "older.db");
    writeFileSync(older, "", { mode: 0o644 });
    const db = openDatabase(older);
    appendAudit(db, newAuditEntry());
    expect(statSync(older).mode & 0o777).toBe(0o600);
    expect(statSync(`${older}-wal`).mode & 0o777).toBe(0o600);
    db.close();
  });

  it("appends audit entries and lists them newest first, filtered", () => {
    const db = fresh();
    appendAudit(
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
    appendAudit(
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
    appendAudit(
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
    expect(listAudit(db).map((e) => e.requestId)).toEqual(["r3", "r2", "r1"]);
    expect(listAudit(db, { target: "arn:2" }).map((e) => e.requestId)).toEqual(["r3", "r2"]);
    expect(listAudit(db, { actor: "ana", action: "filter-policy.update" }).map((e) => e.requestId)).toEqual([
      "r3",
      "r1",
    ]);
    expect(listAudit(db, { limit: 1 })).toHaveLength(1);
    expect(listAudit(db, { outcome: "failure" }).map((e) => e.requestId)).toEqual(["r2"]);
    const [, failed] = listAudit(db);
    expect(failed).toMatchObject({ outcome: "failure", detail: "AWS said no", before: null, role: "admin" });
    expect(listAudit(db, { target: "arn:1" })[0]).toMatchObject({ before: { policy: null }, after: { policy: "{}" } });
  });

  it("refuses to edit or delete an audit entry, whoever asks", () => {
    const db = fresh();
    const entry = appendAudit(db, newAuditEntry({ action: "queue.purge", target: "arn:q", requestId: "r1" }));
    expect(() => db.prepare("UPDATE audit SET actor = 'someone else' WHERE id = ?").run(entry.id)).toThrow(
      "the audit trail is append-only",
    );
    expect(() => db.prepare("DELETE FROM audit").run()).toThrow("the audit trail is append-only");
    expect(listAudit(db)).toMatchObject([{ actor: "ana", action: "queue.purge" }]);
  });

  it("keeps every policy version of a subscription, newest first", () => {
    const db = fresh();
    const v1 = addPolicyVersion(db, here, {
      subscriptionArn: "arn:s",
      actor: "ana",
      scope: "MessageAttributes",
      policy: '{"a":["x"]}',
    });
    addPolicyVersion(db, here, { subscriptionArn: "arn:other", actor: "ana", scope: "MessageBody", policy: null });
    const v3 = addPolicyVersion(db, here, {
      subscriptionArn: "arn:s",
      actor: "bo",
      scope: "MessageBody",
      policy: null,
      note: "rollback to #1",
    });
    expect(listPolicyVersions(db, here, "arn:s").map((v) => v.id)).toEqual([v3.id, v1.id]);
    expect(getPolicyVersion(db, here, v1.id)).toMatchObject({
      policy: '{"a":["x"]}',
      scope: "MessageAttributes",
      actor: "ana",
    });
    expect(getPolicyVersion(db, here, v3.id)).toMatchObject({ policy: null, note: "rollback to #1" });
    expect(getPolicyVersion(db, here, 9999)).toBeUndefined();
  });

  it("keeps each environment and region's policy history to itself", () => {
    const db = fresh();
    const staging = { environment: "staging", region: "eu-west-1" };
    const version = { subscriptionArn: "arn:s", actor: "ana", scope: "MessageBody" as const, policy: null };
    const ours = addPolicyVersion(db, here, version);
    const theirs = addPolicyVersion(db, staging, { ...version, actor: "bo" });
    expect(listPolicyVersions(db, here, "arn:s").map((v) => v.actor)).toEqual(["ana"]);
    expect(listPolicyVersions(db, staging, "arn:s").map((v) => v.actor)).toEqual(["bo"]);
    expect(listPolicyVersions(db, { ...here, region: "eu-west-1" }, "arn:s")).toEqual([]);
    // A version id of another environment is not found: a rollback cannot reach across.
    expect(getPolicyVersion(db, here, theirs.id)).toBeUndefined();
    expect(getPolicyVersion(db, staging, ours.id)).toBeUndefined();
  });

  it("keeps each environment and region's newest recent events, and lists only its own", () => {
    const db = fresh();
    const staging = { environment: "staging", region: "eu-west-1" };
    const event = (id: string) => ({ messageId: id, topicArn: "arn:t", body: id, attributes: {} });
    addRecentEvents(db, here, [event("ours")]);
    addRecentEvents(
      db,
      staging,
      Array.from({ length: RECENT_EVENTS_KEPT + 5 }, (_, i) => event(`theirs-${i}`)),
    );
    expect(listRecentEvents(db, here, "arn:t").map((e) => e.messageId)).toEqual(["ours"]);
    const theirs = listRecentEvents(db, staging, "arn:t", 1000);
    expect(theirs).toHaveLength(RECENT_EVENTS_KEPT);
    expect(theirs[0]?.messageId).toBe(`theirs-${RECENT_EVENTS_KEPT + 4}`);
  });
});

describe("upgrading a store written before environments", () => {
  it("opens it with every row as environment default, in the region the console used then", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "fanout-store-"));
    const file = path.join(dir, "fanout.db");
    // The store as the console before environments left it (schema version 10), with a row in each table.
    const old = openDatabase(file, undefined, 10);
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

    const db = openDatabase(file, { region: "eu-west-1" });
    const before = { environment: "default", region: "eu-west-1" };
    expect(db.pragma("user_version", { simple: true })).toBe(11);
    expect(listAudit(db, { environment: "default", region: "eu-west-1" })).toMatchObject([
      { requestId: "r-old", environment: "default", region: "eu-west-1", account: null },
    ]);
    expect(listPolicyVersions(db, before, "arn:s")).toMatchObject([{ actor: "ana", policy: "{}" }]);
    expect(getRedriveJob(db, "job-old")).toMatchObject({ scope: before, status: "running" });
    expect(listRedriveJobs(db, before).map((j) => j.id)).toEqual(["job-old"]);
    expect(listRecentEvents(db, before, "arn:t").map((e) => e.messageId)).toEqual(["m-old"]);
    expect(listDlqRemovals(db, before, ["orders-dlq"], 0).get("orders-dlq")).toEqual([
      { at: 1000, count: 4, source: "delete" },
    ]);
    // Nothing of it belongs anywhere else, and the trail stays append-only.
    expect(listRedriveJobs(db, here)).toEqual([]);
    expect(() => db.prepare("UPDATE audit SET environment = 'staging'").run()).toThrow("append-only");
    // New rows name their environment; rows written with NULLs (a sign-in) belong to none.
    appendAudit(db, newAuditEntry({ requestId: "r-sign-in", environment: null, region: null, account: null }));
    expect(listAudit(db, { environment: "default" }).map((e) => e.requestId)).toEqual(["r-old"]);
    expect(listAudit(db).map((e) => [e.requestId, e.environment])).toEqual([
      ["r-sign-in", null],
      ["r-old", "default"],
    ]);
  });
});

describe("saved sample messages", () => {
  it("keeps samples by unique name, with their attributes, until deleted", () => {
    const db = fresh();
    const paid = addSampleMessage(db, {
      name: "paid",
      body: '{"type":"order.paid"}',
      attributes: { eventType: { Type: "String", Value: "order.paid" } },
      createdBy: "ana",
    });
    addSampleMessage(db, { name: "another", body: "x", attributes: {}, createdBy: "bo" });
    expect(listSampleMessages(db).map((s) => s.name)).toEqual(["another", "paid"]);
    expect(findSampleMessageByName(db, "paid")).toMatchObject({
      id: paid.id,
      attributes: { eventType: { Type: "String", Value: "order.paid" } },
      createdBy: "ana",
    });
    expect(() => addSampleMessage(db, { name: "paid", body: "y", attributes: {}, createdBy: "bo" })).toThrow(/UNIQUE/);
    expect(deleteSampleMessage(db, paid.id)).toBe(true);
    expect(deleteSampleMessage(db, paid.id)).toBe(false);
    expect(listSampleMessages(db).map((s) => s.name)).toEqual(["another"]);
  });
});
