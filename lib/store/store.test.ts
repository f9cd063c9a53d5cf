import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appendAudit, listAudit } from "./audit";
import { openDatabase } from "./db";
import { findSession, insertSession } from "./sessions";
import { newAuditEntry, temporaryDatabase } from "../../test/store-fixtures";
import { addPolicyVersion, getPolicyVersion, listPolicyVersions } from "./policy-history";
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
    expect(again.pragma("user_version", { simple: true })).toBe(10);
    expect(listAudit(again)).toHaveLength(1);
  });

  it("gives sessions from before roles per environment none: their one role applies everywhere", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "fanout-store-"));
    const file = path.join(dir, "fanout.db");
    const older = openDatabase(file);
    // As the file was before the last migration, which added the roles.
    older.exec(`ALTER TABLE sessions DROP COLUMN roles_json`);
    older.pragma(`user_version = ${(older.pragma("user_version", { simple: true }) as number) - 1}`);
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
    const v1 = addPolicyVersion(db, {
      subscriptionArn: "arn:s",
      actor: "ana",
      scope: "MessageAttributes",
      policy: '{"a":["x"]}',
    });
    addPolicyVersion(db, { subscriptionArn: "arn:other", actor: "ana", scope: "MessageBody", policy: null });
    const v3 = addPolicyVersion(db, {
      subscriptionArn: "arn:s",
      actor: "bo",
      scope: "MessageBody",
      policy: null,
      note: "rollback to #1",
    });
    expect(listPolicyVersions(db, "arn:s").map((v) => v.id)).toEqual([v3.id, v1.id]);
    expect(getPolicyVersion(db, v1.id)).toMatchObject({
      policy: '{"a":["x"]}',
      scope: "MessageAttributes",
      actor: "ana",
    });
    expect(getPolicyVersion(db, v3.id)).toMatchObject({ policy: null, note: "rollback to #1" });
    expect(getPolicyVersion(db, 9999)).toBeUndefined();
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
