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
 * (mode 0600) in the data dir so sessions survive restarts. The file only ever appears whole: the secret is written to a
 * temporary file and then linked into place (or, replacing a file too short to be a secret,
 * renamed over it), so a process starting at the same moment never reads half of it.
 */
export function resolveAuthSecret(config: { authSecret?: string; dataDir: string }): string {
  if (config.authSecret) return config.authSecret;
  const file = path.join(config.dataDir, "auth-secret");
  let secret = resolved.get(file);
  if (secret) return secret;
  secret = readSecret(file);
  if (!secret || secret.length < MIN_SECRET_LENGTH) {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
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
