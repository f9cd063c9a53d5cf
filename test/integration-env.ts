import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";

// The suite's own moto: what test/context.ts builds a context for by default, and what processes the
// tests start (test/redrive-worker.ts) inherit.
process.env.AWS_ENDPOINT_URL = inject("awsEndpoint");
process.env.AWS_REGION = "us-east-1";
process.env.AWS_ACCESS_KEY_ID = "test";
process.env.AWS_SECRET_ACCESS_KEY = "test";
for (const key of Object.keys(process.env)) {
  if (key.startsWith("AWS_ENDPOINT_URL_")) delete process.env[key];
}

// The console's own state (audit log, policy history) in a fresh directory per test file.
process.env.FANOUT_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "fanout-it-"));
