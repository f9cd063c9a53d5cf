import "server-only";
import type { Store } from "./db";
import type { MessageAttribute } from "../domain/filter-policy/types";
import type { Scope } from "../domain/scope";

/** An event as the topic published it: SNS message id, body and message attributes. */
export interface RecentEvent {
  messageId: string;
  topicArn: string;
  publishedAt?: string;
  receivedAt: string;
  body: string;
  attributes: Record<string, MessageAttribute>;
}

/**
 * How many events the console keeps per environment and region: enough to judge a policy change on
 * (lib/domain/filter-policy/impact.ts), few enough to read and evaluate in a moment.
 */
export const RECENT_EVENTS_KEPT = 10_000;

/** Rows per INSERT: SQLite and PostgreSQL cap the parameters of one statement. */
const INSERT_CHUNK = 500;

/**
 * Adds events of one environment and region's tap (a repeat delivery of one already kept is ignored)
 * and trims them to its newest RECENT_EVENTS_KEPT, so a busy environment never pushes out another's.
 */
export async function addRecentEvents(
  db: Store,
  scope: Scope,
  events: Omit<RecentEvent, "receivedAt">[],
): Promise<number> {
  const now = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    let added = 0;
    // An event read twice (the tap queue delivers at least once) is kept once.
    for (let start = 0; start < events.length; start += INSERT_CHUNK) {
      const result = await trx
        .insertInto("recent_events")
        .values(
          events.slice(start, start + INSERT_CHUNK).map((e) => ({
            environment: scope.environment,
            region: scope.region,
            message_id: e.messageId,
            topic_arn: e.topicArn,
            published_at: e.publishedAt ?? null,
            received_at: now,
            body: e.body,
            attributes_json: JSON.stringify(e.attributes),
          })),
        )
        .onConflict((oc) => oc.column("message_id").doNothing())
        .executeTakeFirst();
      added += Number(result.numInsertedOrUpdatedRows ?? 0n);
    }
    // The newest RECENT_EVENTS_KEPT of the scope, found by walking its (environment, region, id) index.
    const oldestKept = await trx
      .selectFrom("recent_events")
      .select("id")
      .where("environment", "=", scope.environment)
      .where("region", "=", scope.region)
      .orderBy("id", "desc")
      .limit(1)
      .offset(RECENT_EVENTS_KEPT)
      .executeTakeFirst();
    if (oldestKept)
      await trx
        .deleteFrom("recent_events")
        .where("environment", "=", scope.environment)
        .where("region", "=", scope.region)
        .where("id", "<=", oldestKept.id)
        .execute();
    return added;
  });
}

export async function listRecentEvents(db: Store, scope: Scope, topicArn: string, limit = 50): Promise<RecentEvent[]> {
  const rows = await db
    .selectFrom("recent_events")
    .selectAll()
    .where("environment", "=", scope.environment)
    .where("region", "=", scope.region)
    .where("topic_arn", "=", topicArn)
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    messageId: r.message_id,
    topicArn: r.topic_arn,
    ...(r.published_at ? { publishedAt: r.published_at } : {}),
    receivedAt: r.received_at,
    body: r.body,
    attributes: JSON.parse(r.attributes_json) as Record<string, MessageAttribute>,
  }));
}
