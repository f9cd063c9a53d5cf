import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { effectiveTokenRoles, tokenState, type TokenRoles } from "../domain/api-tokens";
import { clientAddressFrom } from "../domain/client-address";
import { OIDC_PREFIX } from "../domain/identity";
import { getConfig, type Config } from "../env";
import { findApiToken, getStore, noteApiTokenUse } from "../store";
import type { SessionUser } from "./sessions";
import { findUser } from "./users";

/** A request's user when it came with an API token: the token's owner, with the token's roles. */
export type TokenUser = SessionUser & { tokenId: string };

export const secretDigest = (secret: string) => createHash("sha256").update(secret).digest("hex");

/**
 * The user an API token acts for now, or undefined: an unknown, expired or revoked token, a wrong
 * secret, or a personal token whose password user is no longer configured. A personal token never
 * does more than its owner may now (lib/domain/api-tokens.ts); a single sign-on user's token keeps
 * the roles it was made with, capped by theirs at the time, as the console learns their groups only
 * at sign-in. Each use is noted (when, from which address), at most once a minute.
 */
export async function resolveTokenUser(
  credential: { id: string; secret: string },
  headers: Headers,
  now: number = Date.now(),
  config: Config = getConfig(),
): Promise<TokenUser | undefined> {
  const store = await getStore();
  const token = await findApiToken(store, credential.id);
  if (!token || tokenState(token, now) !== "active") return undefined;
  const given = Buffer.from(secretDigest(credential.secret), "hex");
  const kept = Buffer.from(token.secretHash, "hex");
  if (given.length !== kept.length || !timingSafeEqual(given, kept)) return undefined;
  const sso = token.owner.startsWith(OIDC_PREFIX);
  let owner: TokenRoles | undefined;
  if (token.kind === "personal" && !sso) {
    const user = findUser(token.owner, config);
    if (!user) return undefined;
    owner = { role: user.role, roles: user.roles ?? {} };
  }
  const address = clientAddressFrom(headers.get("x-forwarded-for") ?? undefined, config.trustedProxies);
  await noteApiTokenUse(store, token.id, now, address);
  const { role, roles } = effectiveTokenRoles(token, owner);
  return { name: token.owner, role, roles, provider: sso ? "oidc" : "credentials", tokenId: token.id };
}
