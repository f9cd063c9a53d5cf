import "server-only";
import type { Selectable } from "kysely";
import type { Store } from "./db";
import type { PolicyVersionsTable } from "./schema";
import type { PolicyVersion } from "../domain/policy-version";
import type { Scope } from "../domain/scope";

export type { PolicyVersion };

const fromRow = (r: Selectable<PolicyVersionsTable>): PolicyVersion => ({
  id: r.id,
  subscriptionArn: r.subscription_arn,
  at: r.at,
  actor: r.actor,
  scope: r.scope as PolicyVersion["scope"],
  policy: r.policy,
  ...(r.note ? { note: r.note } : {}),
});

export async function addPolicyVersion(
  db: Store,
  scope: Scope,
  version: Omit<PolicyVersion, "id" | "at">,
): Promise<PolicyVersion> {
  const at = new Date().toISOString();
  const { id } = await db
    .insertInto("policy_versions")
    .values({
      environment: scope.environment,
      region: scope.region,
      subscription_arn: version.subscriptionArn,
      at,
      actor: version.actor,
      scope: version.scope,
      policy: version.policy,
      note: version.note ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { ...version, id, at };
}

export async function listPolicyVersions(db: Store, scope: Scope, subscriptionArn: string): Promise<PolicyVersion[]> {
  const rows = await db
    .selectFrom("policy_versions")
    .selectAll()
    .where("environment", "=", scope.environment)
    .where("region", "=", scope.region)
    .where("subscription_arn", "=", subscriptionArn)
    .orderBy("id", "desc")
    .execute();
  return rows.map(fromRow);
}

export async function getPolicyVersion(db: Store, scope: Scope, id: number): Promise<PolicyVersion | undefined> {
  const row = await db
    .selectFrom("policy_versions")
    .selectAll()
    .where("id", "=", id)
    .where("environment", "=", scope.environment)
    .where("region", "=", scope.region)
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}
