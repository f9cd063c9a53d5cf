import { isRole, type Role } from "./roles";

/**
 * Console identities from the identity provider live in their own namespace, `oidc:<name>`: the
 * colon is outside the password users' name rule, so an IdP user called like a password user never
 * shares that user's leases, redrive idempotency keys or audit actor name.
 */
export const OIDC_PREFIX = "oidc:";

export interface OidcIdentity {
  id: string;
  name: string;
  role: Role | undefined;
}

export function oidcIdentity(profile: Record<string, unknown>, roleClaim: string): OidcIdentity {
  const claim = profile[roleClaim];
  const sub = String(profile.sub);
  return {
    id: `${OIDC_PREFIX}${sub}`,
    name: `${OIDC_PREFIX}${String(profile.preferred_username ?? profile.email ?? sub)}`,
    role: isRole(claim) ? claim : undefined,
  };
}

/** Who a request acts for: the signed-in user, or the console itself at start-up (systemActor). */
export interface Actor {
  name: string;
  role: Role;
}
