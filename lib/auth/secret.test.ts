import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../env";
import { ALERTS_WEBHOOK_SECRET_FILE, resolveAlertsWebhookSecret, resolveAuthSecret } from "./secret";

describe("resolveAuthSecret", () => {
  it("uses NEXTAUTH_SECRET when given", () => {
    const secret = "x".repeat(40);
    expect(resolveAuthSecret(loadConfig({ NEXTAUTH_SECRET: secret }))).toBe(secret);
  });

  it("in local mode generates one, keeps it owner-only in the data dir, and reuses it", () => {
    const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), "fanout-secret-")), "data");
    const config = loadConfig({ AWS_ENDPOINT_URL: "http://127.0.0.1:4566", FANOUT_DATA_DIR: dataDir });
    const secret = resolveAuthSecret(config);
    const file = path.join(dataDir, "auth-secret");
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(file, "utf8").trim()).toBe(secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(resolveAuthSecret(config)).toBe(secret);
  });

  it("replaces an empty or cut-short secret file instead of signing cookies with it", () => {
    for (const content of ["", "\n", "abc"]) {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), "fanout-secret-"));
      mkdirSync(dataDir, { recursive: true });
      const file = path.join(dataDir, "auth-secret");
      writeFileSync(file, content);
      const secret = resolveAuthSecret(
        loadConfig({ AWS_ENDPOINT_URL: "http://127.0.0.1:4566", FANOUT_DATA_DIR: dataDir }),
      );
      expect(secret.length).toBeGreaterThanOrEqual(32);
      expect(readFileSync(file, "utf8").trim()).toBe(secret);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readdirSync(dataDir)).toEqual(["auth-secret"]);
    }
  });
});

describe("resolveAlertsWebhookSecret", () => {
  it("uses FANOUT_ALERTS_WEBHOOK_SECRET when given", () => {
    const secret = "w".repeat(32);
    const config = loadConfig({ AWS_ENDPOINT_URL: "http://127.0.0.1:4566", FANOUT_ALERTS_WEBHOOK_SECRET: secret });
    expect(resolveAlertsWebhookSecret(config)).toBe(secret);
  });

  it("else generates one of its own in the data dir, apart from the session secret, and reuses it", () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "fanout-secret-"));
    const config = loadConfig({ AWS_ENDPOINT_URL: "http://127.0.0.1:4566", FANOUT_DATA_DIR: dataDir });
    const secret = resolveAlertsWebhookSecret(config);
    const file = path.join(dataDir, ALERTS_WEBHOOK_SECRET_FILE);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(file, "utf8").trim()).toBe(secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(resolveAuthSecret(config)).not.toBe(secret);
    expect(resolveAlertsWebhookSecret(config)).toBe(secret);
  });
});
