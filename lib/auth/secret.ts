import "server-only";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Config } from "../env";

const resolved = new Map<string, string>();

/**
 * The key that signs session cookies. Outside local mode config validation already demands
 * NEXTAUTH_SECRET; in local mode one is generated once and kept (mode 0600) in the data dir so
 * sessions survive restarts.
 */
export function resolveAuthSecret(config: Config): string {
  if (config.authSecret) return config.authSecret;
  const file = path.join(config.dataDir, "auth-secret");
  let secret = resolved.get(file);
  if (secret) return secret;
  try {
    secret = readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    secret = randomBytes(32).toString("base64url");
    try {
      writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
    } catch {
      // Another process wrote it first: use theirs.
      secret = readFileSync(file, "utf8").trim();
    }
  }
  resolved.set(file, secret);
  return secret;
}
