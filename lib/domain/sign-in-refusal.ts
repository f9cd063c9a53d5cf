/**
 * What the login page tells a single sign-on user the console refused for want of any binding: none
 * of their groups is mapped in any environment, and no role claim was sent. The groups named are the
 * identity provider's, shown to the user they belong to, as text.
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

/** Why a single sign-on user gets no session: their groups map to nothing anywhere, and no role claim was sent. */
export function noConsoleRoleMessage(o: { groups: readonly string[]; roleClaim: string }): string {
  return (
    `Your identity provider account has no Fanout role: none of your groups (${groupList(o.groups)}) ` +
    `is mapped to a role or binding in any environment, and no ${o.roleClaim} claim was sent. ` +
    `Ask an admin to map one of your groups.`
  );
}
