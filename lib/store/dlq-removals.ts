import "server-only";
import type { Store } from "./db";
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
export async function recordDlqRemoval(
  db: Store,
  scope: Scope,
  queueName: string,
  count: number,
  source: DlqRemovalSource,
  at = Date.now(),
): Promise<void> {
  if (!(count > 0)) return;
  await db
    .insertInto("dlq_removals")
    .values({
      environment: scope.environment,
      region: scope.region,
      queue_name: queueName,
      at,
      count: Math.round(count),
      source,
    })
    .execute();
}

export async function listDlqRemovals(
  db: Store,
  scope: Scope,
  queueNames: Iterable<string>,
  sinceMs: number,
): Promise<Map<string, DlqRemoval[]>> {
  const names = [...new Set(queueNames)];
  const byQueue = new Map<string, DlqRemoval[]>();
  if (!names.length) return byQueue;
  const rows = await db
    .selectFrom("dlq_removals")
    .select(["queue_name", "at", "count", "source"])
    .where("environment", "=", scope.environment)
    .where("region", "=", scope.region)
    .where("queue_name", "in", names)
    .where("at", ">=", sinceMs)
    .orderBy("at")
    .orderBy("id")
    .execute();
  for (const { queue_name, ...removal } of rows) {
    const list = byQueue.get(queue_name) ?? [];
    list.push({ ...removal, source: removal.source as DlqRemovalSource });
    byQueue.set(queue_name, list);
  }
  return byQueue;
}
