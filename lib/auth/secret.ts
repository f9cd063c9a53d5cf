import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

const resolved = new Map<string, string>();

/** As NEXTAUTH_SECRET must be outside local mode; a shorter file (empty, cut short) is replaced. */
const MIN_SECRET_LENGTH = 32;

const readSecret = (file: string): string | undefined => {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
};

/**
 * The key that signs session cookies: NEXTAUTH_SECRET when given (config validation demands it
 * outside local mode and beside FANOUT_DATABASE_URL); in local mode one is generated once and kept
 * in the data dir so sessions survive restarts.
 */
export function resolveAuthSecret(config: { authSecret?: string; dataDir: string }): string {
  return config.authSecret ?? secretKeptIn(config.dataDir, "auth-secret");
}

/**
 * The key that signs the alerts webhook's notifications: FANOUT_ALERTS_WEBHOOK_SECRET when given
 * (config validation demands it beside FANOUT_DATABASE_URL, so every replica signs alike), else one
 * generated once and kept in the data dir, for the receiver's owner to copy from there.
 */
export function resolveAlertsWebhookSecret(config: { alertsWebhookSecret?: string; dataDir: string }): string {
  return config.alertsWebhookSecret ?? secretKeptIn(config.dataDir, ALERTS_WEBHOOK_SECRET_FILE);
}

/** The generated alerts webhook secret's file in the data dir. */
export const ALERTS_WEBHOOK_SECRET_FILE = "alerts-webhook-secret";

/**
 * A secret generated once and kept (mode 0600) in the data dir under `name`. The file only ever
 * appears whole: the secret is written to a temporary file and then linked into place (or, replacing
 * a file too short to be a secret, renamed over it), so a process starting at the same moment never
 * reads half of it.
 */
function secretKeptIn(dataDir: string, name: string): string {
  const file = path.join(dataDir, name);
  let secret = resolved.get(file);
  if (secret) return secret;
  secret = readSecret(file);
  if (!secret || secret.length < MIN_SECRET_LENGTH) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    writeFileSync(temporary, randomBytes(32).toString("base64url") + "\n", { mode: 0o600, flag: "wx" });
    try {
      if (secret === undefined) linkSync(temporary, file);
      else renameSync(temporary, file);
    } catch {
      // Another process put its secret in place first: use theirs.
    } finally {
      try {
        unlinkSync(temporary);
      } catch {
        // Already renamed into place.
      }
    }
    secret = readSecret(file);
    if (!secret || secret.length < MIN_SECRET_LENGTH)
      throw new Error(`${file} does not hold a usable secret; remove it and restart`);
  }
  resolved.set(file, secret);
  return secret;
}
