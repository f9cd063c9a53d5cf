import "server-only";
import type Database from "better-sqlite3";
import type { Scope } from "../domain/scope";

/** What took dead letters out: Fanout's redrive engine, a delete or purge from the browser, or an SQS move task. */
export type DlqRemovalSource = "redrive" | "delete" | "purge" | "move-task";

export interface DlqRemoval {
  /** Epoch milliseconds. */
  at: number;
  count: number;
  source: DlqRemovalSource;
}

/**
 * Books `count` dead letters the console removed from a DLQ of an environment and region, at `at`
 * (default: now). Called at the moment the removal is confirmed (per batch, not per job), so the SLA
 * can tell a repair apart from new dead letters minute by minute. Nothing is booked for a count of 0 or less.
 */
export function recordDlqRemoval(
  db: Database.Database,
  scope: Scope,
  queueName: string,
  count: number,
  source: DlqRemovalSource,
  at = Date.now(),
): void {
  if (!(count > 0)) return;
  db.prepare(
    `INSERT INTO dlq_removals (environment, region, queue_name, at, count, source) VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(scope.environment, scope.region, queueName, at, Math.round(count), source);
}

/** The removals from these DLQs of an environment and region since `sinceMs` (inclusive), oldest first, by queue name. */
export function listDlqRemovals(
  db: Database.Database,
  scope: Scope,
  queueNames: Iterable<string>,
  sinceMs: number,
): Map<string, DlqRemoval[]> {
  const byQueue = new Map<string, DlqRemoval[]>();
  const select = db.prepare(
    `SELECT at, count, source FROM dlq_removals
     WHERE environment = ? AND region = ? AND queue_name = ? AND at >= ? ORDER BY at, id`,
  );
  for (const name of new Set(queueNames)) {
    const rows = select.all(scope.environment, scope.region, name, sinceMs) as DlqRemoval[];
    if (rows.length) byQueue.set(name, rows);
  }
  return byQueue;
}
