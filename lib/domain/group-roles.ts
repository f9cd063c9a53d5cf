import { shorthandBindings, type Binding, type GroupGrant } from "./bindings";
import type { Role } from "./roles";

/**
 * Single sign-on bindings from the identity provider's groups: each environment of FANOUT_ENVIRONMENTS
 * may map group names to a role there or to bindings there (`groups`), and FANOUT_OIDC_GROUPS_CLAIM
 * names the ID-token claim listing a user's groups. The one place group mapping is defined.
 */

/** Group name → what its members get in one environment. */
export type GroupGrants = Record<string, GroupGrant>;

/** The environments' group mappings, in configuration order. */
export type GroupEnvironments = ReadonlyArray<{ id: string; groups?: Readonly<GroupGrants> }>;

/**
 * The groups an ID-token claim lists: a list of names (what Okta, Keycloak, Entra ID and Cognito
 * send), or a single name. Anything else in it is no group.
 */
export function groupsInClaim(claim: unknown): string[] {
  if (typeof claim === "string") return [claim];
  if (!Array.isArray(claim)) return [];
  return claim.filter((group): group is string => typeof group === "string");
}

/** The bindings the user's groups map to, each in the environment whose `groups` maps it. */
export function bindingsFromGroups(groups: readonly string[], environments: GroupEnvironments): Binding[] {
  return environments.flatMap((environment) => {
    const mapping = environment.groups ?? {};
    return groups
      .filter((group) => Object.hasOwn(mapping, group))
      .flatMap((group) =>
        mapping[group]!.map((grant, index) => ({
          ...grant,
          environments: [environment.id],
          from: `group ${group} in ${environment.id}${mapping[group]!.length > 1 ? ` [${index}]` : ""}`,
        })),
      );
  });
}

/**
 * A single sign-on user's bindings: their groups', and the role claim's in every environment where
 * no group of theirs is mapped (as `role` beside `roles`: a group can lower the claim's role there).
 */
export function singleSignOnBindings(
  claimRole: Role | undefined,
  groups: readonly string[],
  environments: GroupEnvironments,
): Binding[] {
  const fromGroups = bindingsFromGroups(groups, environments);
  const mapped = new Set(fromGroups.flatMap((binding) => binding.environments));
  const unmapped = environments.map((environment) => environment.id).filter((id) => !mapped.has(id));
  return [...fromGroups, ...shorthandBindings({ role: claimRole }, unmapped, "role claim")];
}
