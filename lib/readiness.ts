import "server-only";
import { sql } from "kysely";
import { ConfigError, getConfig, type Config } from "./env";
import { getStore, storeLocation } from "./store";
import { backendOf, StoreMigrationError, storeMigrationState, type Store } from "./store/db";

export type ReadinessCheckName = "configuration" | "store" | "migrations";

export interface ReadinessCheck {
  name: ReadinessCheckName;
  ok: boolean;
  /** Why it failed, without the details (hosts, messages) an unauthenticated caller has no business with: they go to the log. */
  problem?: string;
}

/** How long the store may take to answer before this replica counts as not ready. */
const STORE_TIMEOUT_MS = 3_000;

/**
 * Whether this replica can serve (`GET /api/health?ready=1`, for a load balancer): its configuration
 * (the AWS side and environments included) is valid, its store answers, and every migration this
 * code knows is applied. Each check runs only when the one before passed. `load` and `open` are the
 * process's configuration and store unless a test gives others.
 */
export async function readiness(
  load: () => Config = getConfig,
  open: () => Promise<Store> = getStore,
): Promise<{ ready: boolean; checks: ReadinessCheck[] }> {
  const checks: ReadinessCheck[] = [];
  const done = () => ({ ready: checks.every((c) => c.ok), checks });
  let config;
  try {
    config = load();
    checks.push({ name: "configuration", ok: true });
  } catch (err) {
    const variables = err instanceof ConfigError ? err.issues.map((i) => i.variable).join(", ") : undefined;
    console.error("[ready] configuration:", err);
    checks.push({
      name: "configuration",
      ok: false,
      problem: variables ? `invalid: ${variables}` : "could not be read",
    });
    return done();
  }
  let store;
  try {
    store = await withTimeout(open());
    await withTimeout(sql`SELECT 1`.execute(store));
    checks.push({ name: "store", ok: true });
  } catch (err) {
    console.error("[ready] store:", err);
    if (err instanceof StoreMigrationError) {
      checks.push({ name: "store", ok: true }, { name: "migrations", ok: false, problem: `${err.migration} failed` });
    } else checks.push({ name: "store", ok: false, problem: "does not answer" });
    return done();
  }
  try {
    const pending = (await withTimeout(storeMigrationState(store, backendOf(storeLocation(config))))).filter(
      (m) => !m.applied,
    );
    checks.push(
      pending.length
        ? { name: "migrations", ok: false, problem: `not applied: ${pending.map((m) => m.name).join(", ")}` }
        : { name: "migrations", ok: true },
    );
  } catch (err) {
    console.error("[ready] migrations:", err);
    checks.push({ name: "migrations", ok: false, problem: "could not be read" });
  }
  return done();
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${STORE_TIMEOUT_MS} ms`)), STORE_TIMEOUT_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
