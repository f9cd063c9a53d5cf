import { roleAtLeast, type Role } from "./roles";

/**
 * What a role sees of an audit entry. A reveal's fingerprint (a keyed hash of the revealed value)
 * is for those who may reveal: a viewer sees that a field was revealed, by whom and where, but not
 * the fingerprint, so nothing about the value reaches the least-privileged role.
 */
export function auditEntryFor<E extends { action: string; after: unknown }>(entry: E, role: Role): E {
  if (
    roleAtLeast(role, "operator") ||
    entry.action !== "dead-letters.reveal" ||
    typeof entry.after !== "object" ||
    entry.after === null ||
    !("fingerprint" in entry.after)
  )
    return entry;
  const { fingerprint: _hidden, ...after } = entry.after as Record<string, unknown>;
  return { ...entry, after: { ...after, fingerprint: "(shown to operators)" } };
}
