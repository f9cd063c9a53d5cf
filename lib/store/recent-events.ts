import "server-only";
import type Database from "better-sqlite3";
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

interface EventRow {
  message_id: string;
  topic_arn: string;
  published_at: string | null;
  received_at: string;
  body: string;
  attributes_json: string;
}

/** How many events the console keeps: enough to test a policy with, small enough to never matter. */
export const RECENT_EVENTS_KEPT = 500;

/**
 * Adds events of one environment and region's tap (a repeat delivery of one already kept is ignored)
 * and trims them to its newest RECENT_EVENTS_KEPT, so a busy environment never pushes out another's.
 */
export function addRecentEvents(
  db: Database.Database,
  scope: Scope,
  events: Omit<RecentEvent, "receivedAt">[],
): number {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO recent_events (environment, region, message_id, topic_arn, published_at, received_at, body, attributes_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const now = new Date().toISOString();
  return db.transaction(() => {
    let added = 0;
    for (const e of events)
      added += insert.run(
        scope.environment,
        scope.region,
        e.messageId,
        e.topicArn,
        e.publishedAt ?? null,
        now,
        e.body,
        JSON.stringify(e.attributes),
      ).changes;
    db.prepare(
      `DELETE FROM recent_events WHERE environment = ? AND region = ? AND id <= (
         SELECT id FROM recent_events WHERE environment = ? AND region = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
    ).run(scope.environment, scope.region, scope.environment, scope.region, RECENT_EVENTS_KEPT);
    return added;
  })();
}

/** Newest first, for one topic of this environment and region. */
export function listRecentEvents(db: Database.Database, scope: Scope, topicArn: string, limit = 50): RecentEvent[] {
  const rows = db
    .prepare(
      `SELECT * FROM recent_events WHERE environment = ? AND region = ? AND topic_arn = ? ORDER BY id DESC LIMIT ?`,
    )
    .all(scope.environment, scope.region, topicArn, limit) as EventRow[];
  return rows.map((r) => ({
    messageId: r.message_id,
    topicArn: r.topic_arn,
    ...(r.published_at ? { publishedAt: r.published_at } : {}),
    receivedAt: r.received_at,
    body: r.body,
    attributes: JSON.parse(r.attributes_json) as Record<string, MessageAttribute>,
  }));
}
