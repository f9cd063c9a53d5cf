/**
 * What the login page tells a single sign-on user the console refused for want of a role. A session
 * needs a default role from the role claim (lib/domain/identity.ts); the groups only change it per
 * environment. The groups named are the identity provider's, shown to the user they belong to, as text.
 */

/** A directory may list hundreds of groups; the page names this many, then counts the rest. */
const MAX_NAMED_GROUPS = 20;
/** And never more than this of any one name. */
const MAX_GROUP_NAME = 100;

function groupList(groups: readonly string[]): string {
  if (groups.length === 0) return "no groups";
  const named = groups
    .slice(0, MAX_NAMED_GROUPS)
    .map((group) => (group.length > MAX_GROUP_NAME ? `${group.slice(0, MAX_GROUP_NAME)}…` : group));
  const more = groups.length - named.length;
  return more > 0 ? `${named.join(", ")} and ${more} more` : named.join(", ");
}

/**
 * Why a single sign-on user without a valid role claim gets no session: their groups map to no role
 * in any environment, or (groups alone give no default role) they map to roles in some only.
 */
export function noConsoleRoleMessage(o: {
  groups: readonly string[];
  groupsMapped: boolean;
  roleClaim: string;
}): string {
  if (!o.groupsMapped)
    return (
      `Your identity provider account has no Fanout role: none of your groups (${groupList(o.groups)}) ` +
      `is mapped to a role, and no ${o.roleClaim} claim was sent. Ask an admin to map one of your groups.`
    );
  return (
    `Your identity provider account has no default Fanout role: your groups give you a role in some ` +
    `environments, but no ${o.roleClaim} claim was sent, and single sign-on needs one. ` +
    `Ask an admin to have the identity provider send it.`
  );
}
