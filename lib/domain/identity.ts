import { groupsInClaim, rolesFromGroups, type GroupMapping } from "./group-roles";
import { isRole, type EnvironmentRoles, type Role } from "./roles";

/**
 * Console identities from the identity provider live in their own namespace, `oidc:<name>`: the
 * colon is outside the password users' name rule, so an IdP user called like a password user never
 * shares that user's leases, redrive idempotency keys or audit actor name.
 */
export const OIDC_PREFIX = "oidc:";

export interface OidcIdentity {
  id: string;
  name: string;
  /** The default role, from the role claim; without one there is no session. */
  role: Role | undefined;
  /** The roles the user's groups map to, by environment id. */
  roles: EnvironmentRoles;
}

export function oidcIdentity(
  profile: Record<string, unknown>,
  roleClaim: string,
  groupMapping?: GroupMapping,
): OidcIdentity {
  const claim = profile[roleClaim];
  const sub = String(profile.sub);
  return {
    id: `${OIDC_PREFIX}${sub}`,
    name: `${OIDC_PREFIX}${String(profile.preferred_username ?? profile.email ?? sub)}`,
    role: isRole(claim) ? claim : undefined,
    roles: groupMapping ? rolesFromGroups(groupsInClaim(profile[groupMapping.claim]), groupMapping.environments) : {},
  };
}

/** Who a request acts for: the signed-in user, or the console itself at start-up (systemActor). */
export interface Actor {
  name: string;
  role: Role;
  /** The API token the request came with: the actor is the token's owner. */
  tokenId?: string;
}
