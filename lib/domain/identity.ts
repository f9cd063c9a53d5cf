import { groupsInClaim } from "./group-roles";
import { isRole, type Role } from "./roles";
import type { Access } from "./bindings";

/**
 * Console identities from the identity provider live in their own namespace, `oidc:<name>`: the
 * colon is outside the password users' name rule, so an IdP user called like a password user never
 * shares that user's leases, redrive idempotency keys or audit actor name.
 */
export const OIDC_PREFIX = "oidc:";

export interface OidcIdentity {
  id: string;
  name: string;
  /** The role claim's role, in every environment where no group of the user's is mapped. */
  role: Role | undefined;
  /** The user's groups, when FANOUT_OIDC_GROUPS_CLAIM names where they are (lib/domain/group-roles.ts maps them). */
  groups: string[];
}

export function oidcIdentity(profile: Record<string, unknown>, roleClaim: string, groupsClaim?: string): OidcIdentity {
  const claim = profile[roleClaim];
  const sub = String(profile.sub);
  return {
    id: `${OIDC_PREFIX}${sub}`,
    name: `${OIDC_PREFIX}${String(profile.preferred_username ?? profile.email ?? sub)}`,
    role: isRole(claim) ? claim : undefined,
    groups: groupsClaim ? groupsInClaim(profile[groupsClaim]) : [],
  };
}

/** Who a request acts for: the signed-in user, or the console itself at start-up (systemActor). */
export interface Actor {
  name: string;
  role: Role;
  /** The API token the request came with: the actor is the token's owner. */
  tokenId?: string;
  /**
   * The actor's bindings, which narrow `role` (the most they may do in the environment) resource by
   * resource (lib/operations/resource-access.ts); absent for the console itself, which acts everywhere.
   */
  access?: Access;
}
