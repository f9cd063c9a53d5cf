import { highestRole, type EnvironmentRoles, type Role } from "./roles";

/**
 * Single sign-on roles per environment from the identity provider's groups: each environment of
 * FANOUT_ENVIRONMENTS may map group names to roles (`groups`), and FANOUT_OIDC_GROUPS_CLAIM names
 * the ID-token claim listing a user's groups. The one place group mapping is defined.
 */

/** Group name → the role its members get in one environment. */
export type GroupRoles = Record<string, Role>;

/** Where a user's groups are in the ID token (`FANOUT_OIDC_GROUPS_CLAIM`) and what each environment maps them to. */
export interface GroupMapping {
  claim: string;
  environments: ReadonlyArray<{ id: string; groups?: Readonly<GroupRoles> }>;
}

/**
 * The groups an ID-token claim lists: a list of names (what Okta, Keycloak, Entra ID and Cognito
 * send), or a single name. Anything else in it is no group.
 */
export function groupsInClaim(claim: unknown): string[] {
  if (typeof claim === "string") return [claim];
  if (!Array.isArray(claim)) return [];
  return claim.filter((group): group is string => typeof group === "string");
}

/**
 * The user's role in each environment where one of their groups is mapped: the highest of the
 * roles their groups map to there. Environments with no mapped group are left out, so the user's
 * default role (the role claim) applies in them.
 */
export function rolesFromGroups(
  groups: readonly string[],
  environments: GroupMapping["environments"],
): EnvironmentRoles {
  const result: EnvironmentRoles = {};
  for (const environment of environments) {
    const mapping = environment.groups ?? {};
    const role = highestRole(groups.filter((group) => Object.hasOwn(mapping, group)).map((group) => mapping[group]!));
    if (role) result[environment.id] = role;
  }
  return result;
}
