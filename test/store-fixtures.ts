import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { createDatabase } from "../scripts/lib/postgres";
import { openStore, type Store, type StoreBackend, type StoreLocation } from "../lib/store/db";
import type { NewAuditEntry } from "../lib/store/audit";
import type { NewRedriveJob } from "../lib/store/redrive-jobs";

/** Fixtures of the store's tests: each test gets a database of its own, in either backend. */

export const STORE_BACKENDS: StoreBackend[] = ["sqlite", "postgresql"];

/**
 * Where a new, empty store of `backend` would be: a file in a fresh temporary directory (`file` is
 * its path inside it), or a new database on the run's throwaway PostgreSQL (the project's global setup).
 */
export async function temporaryLocation(
  backend: StoreBackend,
  prefix = "fanout-store-",
  file = "fanout.db",
): Promise<StoreLocation> {
  const sqliteFile = path.join(mkdtempSync(path.join(os.tmpdir(), prefix)), file);
  if (backend === "sqlite") return { sqliteFile };
  const name = `t_${randomUUID().replace(/-/g, "").slice(0, 20)}`;
  return { databaseUrl: await createDatabase(inject("postgresUrl"), name), sqliteFile };
}

/** A new, migrated store of `backend`. */
export async function temporaryStore(backend: StoreBackend = "sqlite", prefix?: string, file?: string): Promise<Store> {
  return openStore(await temporaryLocation(backend, prefix, file));
}

/** Where a fixture's rows belong unless it says otherwise: the default environment in us-east-1. */
export const DEFAULT_SCOPE = { environment: "default", region: "us-east-1" };

/** A job of otto's moving all of orders-dlq back to orders, with a 60-second lease, unless `extra` says otherwise. */
export const newRedriveJob = (id: string, extra: Partial<NewRedriveJob> = {}): NewRedriveJob => ({
  id,
  scope: DEFAULT_SCOPE,
  actor: "otto",
  role: "operator",
  requestId: `req-${id}`,
  dlq: {
    name: "orders-dlq",
    url: "http://127.0.0.1/1/orders-dlq",
    arn: "arn:aws:sqs:us-east-1:1:orders-dlq",
    fifo: false,
  },
  target: { name: "orders", url: "http://127.0.0.1/1/orders", arn: "arn:aws:sqs:us-east-1:1:orders", fifo: false },
  selection: { kind: "all" },
  leaseSeconds: 60,
  engine: "fanout",
  ...extra,
});

/** A successful audit entry of ana's (admin) in the default environment, without before or after, unless `fields` says otherwise. */
export const newAuditEntry = (fields: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
  actor: "ana",
  role: "admin",
  action: "test",
  target: "t",
  before: null,
  after: null,
  requestId: "r",
  outcome: "success",
  environment: "default",
  region: "us-east-1",
  account: "123456789012",
  ...fields,
});
