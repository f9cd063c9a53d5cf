import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../lib/store/db";
import type { NewAuditEntry } from "../lib/store/audit";
import type { NewRedriveJob } from "../lib/store/redrive-jobs";

/** Fixtures of the store's unit tests: each test gets a database file of its own. */

/** A new, migrated store in a fresh temporary directory; `file` is its path inside that directory. */
export function temporaryDatabase(prefix: string, file = "fanout.db") {
  return openDatabase(path.join(mkdtempSync(path.join(os.tmpdir(), prefix)), file));
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
