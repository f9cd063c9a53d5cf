import "server-only";
import type Database from "better-sqlite3";
import type { PolicyVersion } from "../domain/policy-version";
import type { Scope } from "../domain/scope";

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

/** A policy as it was set in one environment and region: history is never shared between them. */
export function addPolicyVersion(
  db: Database.Database,
  scope: Scope,
  version: Omit<PolicyVersion, "id" | "at">,
): PolicyVersion {
  const at = new Date().toISOString();
  const result = db
    .prepare(
      `INSERT INTO policy_versions (environment, region, subscription_arn, at, actor, scope, policy, note)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      scope.environment,
      scope.region,
      version.subscriptionArn,
      at,
      version.actor,
      version.scope,
      version.policy,
      version.note ?? null,
    );
  return { ...version, id: Number(result.lastInsertRowid), at };
}

/** Newest first, of the subscription in this environment and region. */
export function listPolicyVersions(db: Database.Database, scope: Scope, subscriptionArn: string): PolicyVersion[] {
  return (
    db
      .prepare(
        "SELECT * FROM policy_versions WHERE environment = ? AND region = ? AND subscription_arn = ? ORDER BY id DESC",
      )
      .all(scope.environment, scope.region, subscriptionArn) as PolicyRow[]
  ).map(fromRow);
}

/** A version kept in this environment and region; another's is not found. */
export function getPolicyVersion(db: Database.Database, scope: Scope, id: number): PolicyVersion | undefined {
  const row = db
    .prepare("SELECT * FROM policy_versions WHERE id = ? AND environment = ? AND region = ?")
    .get(id, scope.environment, scope.region) as PolicyRow | undefined;
  return row ? fromRow(row) : undefined;
}
