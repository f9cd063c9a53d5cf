import "server-only";
import type Database from "better-sqlite3";
import type { PolicyVersion } from "../domain/policy-version";

export type { PolicyVersion };

interface PolicyRow {
  id: number;
  subscription_arn: string;
  at: string;
  actor: string;
  scope: PolicyVersion["scope"];
  policy: string | null;
  note: string | null;
}

const fromRow = (r: PolicyRow): PolicyVersion => ({
  id: r.id,
  subscriptionArn: r.subscription_arn,
  at: r.at,
  actor: r.actor,
  scope: r.scope,
  policy: r.policy,
  ...(r.note ? { note: r.note } : {}),
});

export function addPolicyVersion(db: Database.Database, version: Omit<PolicyVersion, "id" | "at">): PolicyVersion {
  const at = new Date().toISOString();
  const result = db
    .prepare("INSERT INTO policy_versions (subscription_arn, at, actor, scope, policy, note) VALUES (?, ?, ?, ?, ?, ?)")
    .run(version.subscriptionArn, at, version.actor, version.scope, version.policy, version.note ?? null);
  return { ...version, id: Number(result.lastInsertRowid), at };
}

/** Newest first. */
export function listPolicyVersions(db: Database.Database, subscriptionArn: string): PolicyVersion[] {
  return (
    db
      .prepare("SELECT * FROM policy_versions WHERE subscription_arn = ? ORDER BY id DESC")
      .all(subscriptionArn) as PolicyRow[]
  ).map(fromRow);
}

export function getPolicyVersion(db: Database.Database, id: number): PolicyVersion | undefined {
  const row = db.prepare("SELECT * FROM policy_versions WHERE id = ?").get(id) as PolicyRow | undefined;
  return row ? fromRow(row) : undefined;
}
