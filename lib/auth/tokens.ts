import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { tokenAccess, tokenState, type TokenGrant } from "../domain/api-tokens";
import { shorthandBindings, type Binding } from "../domain/bindings";
import { clientAddressFrom } from "../domain/client-address";
import { OIDC_PREFIX } from "../domain/identity";
import { getConfig, type Config } from "../env";
import type { EnvironmentRoles, Role } from "../domain/roles";
import { findApiToken, getStore, noteApiTokenUse } from "../store";
import { configuredBindings, type SessionUser } from "./sessions";
import { findUser } from "./users";

/** A request's user when it came with an API token: the token's owner, with the token's bindings. */
export type TokenUser = SessionUser & { tokenId: string };

export const secretDigest = (secret: string) => createHash("sha256").update(secret).digest("hex");

/**
 * The user an API token acts for now, or undefined: an unknown, expired or revoked token, a wrong
 * secret, or a personal token whose password user is no longer configured. A token never does more
 * than its creator could when it was made, and a password user's personal token no more than its
 * owner may now (lib/domain/api-tokens.ts); a single sign-on user's groups are known only at their
 * sign-ins. Each use is noted (when, from which address), at most once a minute.
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
  let owner: Binding[] | undefined;
  if (token.kind === "personal" && !sso) {
    const user = findUser(token.owner, config);
    if (!user) return undefined;
    owner = configuredBindings(user, config);
  }
  const address = clientAddressFrom(headers.get("x-forwarded-for") ?? undefined, config.trustedProxies);
  await noteApiTokenUse(store, token.id, now, address);
  const access = tokenAccess(token.grant ?? legacyGrant(token, config), owner);
  return { name: token.owner, access, provider: sso ? "oidc" : "credentials", tokenId: token.id };
}

/** A token made before bindings: its role and roles, as shorthand, were both its grant and its cap. */
function legacyGrant(token: { role: Role; roles: EnvironmentRoles }, config: Config): TokenGrant {
  const ids = config.environments.map((environment) => environment.id);
  const bindings = shorthandBindings(token, ids, "token");
  return { bindings, within: bindings };
}
