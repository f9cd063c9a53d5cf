import "server-only";
import type { Insertable, Selectable } from "kysely";
import type { AlertNews, AlertState, AlertStatus } from "../domain/alerts/alert-state";
import { dedupKeyOf } from "../domain/alerts/alert-state";
import type { DepthReading } from "../domain/alerts/evaluations";
import type { AlertRuleId } from "../domain/alerts/rules";
import type { Silence } from "../domain/alerts/silences";
import type { Scope } from "../domain/scope";
import type { Store } from "./db";
import type { AlertOutboxTable, AlertSilencesTable, AlertStatesTable } from "./schema";

/**
 * Alerts in the store: each alert's state, written with the notifications it made, the silences,
 * and what each DLQ held at the last evaluation.
 */

const stateFromRow = (r: Selectable<AlertStatesTable>): AlertState => ({
  environment: r.environment,
  region: r.region,
  rule: r.rule as AlertRuleId,
  resource: r.resource,
  status: r.status as AlertStatus,
  since: r.since,
  ...(r.resolved_at !== null ? { resolvedAt: r.resolved_at } : {}),
  summary: r.summary,
  link: r.link,
  evaluatedAt: r.evaluated_at,
  ...(r.notified_at !== null ? { notifiedAt: r.notified_at } : {}),
  ...(r.notified_status !== null ? { notifiedStatus: r.notified_status as AlertStatus } : {}),
  ...(r.untold_json !== null ? { untold: JSON.parse(r.untold_json) as AlertNews } : {}),
  version: r.version,
});

const stateColumns = (state: AlertState) => ({
  status: state.status,
  since: state.since,
  resolved_at: state.resolvedAt ?? null,
  summary: state.summary,
  link: state.link,
  evaluated_at: state.evaluatedAt,
  notified_at: state.notifiedAt ?? null,
  notified_status: state.notifiedStatus ?? null,
  untold_json: state.untold ? JSON.stringify(state.untold) : null,
});

/** The alerts of an environment and region: firing ones, resolved ones, or both; the most recent first. */
export async function listAlertStates(
  db: Store,
  scope: Scope,
  filter: { status?: AlertStatus; limit?: number } = {},
): Promise<AlertState[]> {
  let query = db
    .selectFrom("alert_states")
    .selectAll()
    .where("environment", "=", scope.environment)
    .where("region", "=", scope.region);
  if (filter.status !== undefined) query = query.where("status", "=", filter.status);
  const rows = await query
    .orderBy("since", "desc")
    .orderBy("dedup_key")
    .limit(filter.limit ?? 500)
    .execute();
  return rows.map(stateFromRow);
}

/** A notification to put in the outbox with the state that made it: one row per destination. */
export type NewDelivery = Pick<Insertable<AlertOutboxTable>, "destination" | "payload">;

/**
 * Writes an alert's next state and, in the same transaction, the deliveries of the notification it
 * made: a notification is in the outbox exactly when its state is stored. Compare-and-set on the
 * version the state was read at (0: there was none): false, with nothing written, when another
 * evaluation wrote it since (an evaluator that lost its lease and does not know yet).
 */
export async function saveAlertState(
  db: Store,
  state: AlertState,
  deliveries: readonly NewDelivery[] = [],
  now = Date.now(),
): Promise<boolean> {
  const dedupKey = dedupKeyOf(state);
  return db.transaction().execute(async (trx) => {
    let written: bigint;
    if (state.version === 0) {
      const result = await trx
        .insertInto("alert_states")
        .values({
          dedup_key: dedupKey,
          environment: state.environment,
          region: state.region,
          rule: state.rule,
          resource: state.resource,
          ...stateColumns(state),
          version: 1,
        })
        .onConflict((oc) => oc.column("dedup_key").doNothing())
        .executeTakeFirst();
      written = result.numInsertedOrUpdatedRows ?? 0n;
    } else {
      const result = await trx
        .updateTable("alert_states")
        .set({ ...stateColumns(state), version: state.version + 1 })
        .where("dedup_key", "=", dedupKey)
        .where("version", "=", state.version)
        .executeTakeFirst();
      written = result.numUpdatedRows;
    }
    if (written !== 1n) return false;
    if (deliveries.length)
      await trx
        .insertInto("alert_outbox")
        .values(
          deliveries.map((d) => ({
            environment: state.environment,
            region: state.region,
            dedup_key: dedupKey,
            destination: d.destination,
            payload: d.payload,
            created_at: now,
            next_attempt_at: now,
          })),
        )
        .execute();
    return true;
  });
}

const silenceFromRow = (r: Selectable<AlertSilencesTable>): Silence => ({
  id: r.id,
  environment: r.environment,
  region: r.region,
  ...(r.rule !== null ? { rule: r.rule as AlertRuleId } : {}),
  ...(r.resource !== null ? { resource: r.resource } : {}),
  reason: r.reason,
  createdBy: r.created_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  ...(r.ended_at !== null ? { endedAt: r.ended_at } : {}),
  ...(r.ended_by !== null ? { endedBy: r.ended_by } : {}),
});

export async function addSilence(db: Store, silence: Silence): Promise<void> {
  await db
    .insertInto("alert_silences")
    .values({
      id: silence.id,
      environment: silence.environment,
      region: silence.region,
      rule: silence.rule ?? null,
      resource: silence.resource ?? null,
      reason: silence.reason,
      created_by: silence.createdBy,
      created_at: silence.createdAt,
      expires_at: silence.expiresAt,
    })
    .execute();
}

/** One silence of this environment and region, whatever its state. */
export async function getSilence(db: Store, scope: Scope, id: string): Promise<Silence | undefined> {
  const row = await db
    .selectFrom("alert_silences")
    .selectAll()
    .where("id", "=", id)
    .where("environment", "=", scope.environment)
    .where("region", "=", scope.region)
    .executeTakeFirst();
  return row && silenceFromRow(row);
}

/**
 * The silences of an environment and region, the latest first: those still holding at `activeAt`,
 * or, without it, every one kept (the page's "silenced" and its record).
 */
export async function listSilences(
  db: Store,
  scope: Scope,
  filter: { activeAt?: number; limit?: number } = {},
): Promise<Silence[]> {
  let query = db
    .selectFrom("alert_silences")
    .selectAll()
    .where("environment", "=", scope.environment)
    .where("region", "=", scope.region);
  const at = filter.activeAt;
  if (at !== undefined)
    query = query
      .where("created_at", "<=", at)
      .where("expires_at", ">", at)
      .where((eb) => eb.or([eb("ended_at", "is", null), eb("ended_at", ">", at)]));
  const rows = await query
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(filter.limit ?? 200)
    .execute();
  return rows.map(silenceFromRow);
}

/** Ends a silence of this environment and region that still holds; false when there is none (a retry changes nothing). */
export async function endSilence(db: Store, scope: Scope, id: string, by: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable("alert_silences")
    .set({ ended_at: now, ended_by: by })
    .where("id", "=", id)
    .where("environment", "=", scope.environment)
    .where("region", "=", scope.region)
    .where("ended_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** What each DLQ of an environment and region held at the last evaluation, by ARN: what arrivals are told from. */
export async function listDlqDepthReadings(db: Store, scope: Scope): Promise<Map<string, DepthReading>> {
  const rows = await db
    .selectFrom("alert_dlq_depths")
    .select(["dlq_arn", "depth", "read_at"])
    .where("environment", "=", scope.environment)
    .where("region", "=", scope.region)
    .execute();
  return new Map(rows.map((r) => [r.dlq_arn, { depth: r.depth, at: r.read_at }]));
}

/**
 * Replaces what an evaluation read of every DLQ of an environment and region, in one transaction: a
 * DLQ gone since is forgotten, and the next evaluation, on whichever replica, reads all of them or
 * none of them.
 */
export async function saveDlqDepthReadings(
  db: Store,
  scope: Scope,
  readings: ReadonlyMap<string, DepthReading>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom("alert_dlq_depths")
      .where("environment", "=", scope.environment)
      .where("region", "=", scope.region)
      .execute();
    const rows = [...readings].map(([arn, reading]) => ({
      environment: scope.environment,
      region: scope.region,
      dlq_arn: arn,
      depth: reading.depth,
      read_at: reading.at,
    }));
    // In batches well under PostgreSQL's 65,535 parameters.
    for (let start = 0; start < rows.length; start += 1_000)
      await trx
        .insertInto("alert_dlq_depths")
        .values(rows.slice(start, start + 1_000))
        .execute();
  });
}
