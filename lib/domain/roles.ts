import { isRecord } from "./is-record";

/** Console roles, least to most privileged: viewers read, operators change pipelines, admins manage the console. */
export const roles = ["viewer", "operator", "admin"] as const;
export type Role = (typeof roles)[number];

/** A role per environment id, where it differs from a user's default role. */
export type EnvironmentRoles = Record<string, Role>;

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (roles as readonly string[]).includes(value);
}

/** True when `role` grants at least what `minimum` grants. */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return roles.indexOf(role) >= roles.indexOf(minimum);
}

/**
 * A user's role in one environment: what their `roles` says there, else their default `role`.
 * Only a role counts, so an environment called `constructor` never gets Object.prototype's.
 */
export function roleIn(user: { role: Role; roles?: Readonly<EnvironmentRoles> }, environmentId: string): Role {
  const own: unknown = user.roles?.[environmentId];
  return isRole(own) ? own : user.role;
}

/** The most privileged of some roles; undefined for none. */
export function highestRole(list: Iterable<Role>): Role | undefined {
  let highest: Role | undefined;
  for (const role of list) if (highest === undefined || !roleAtLeast(highest, role)) highest = role;
  return highest;
}

/** The entries of a stored roles map that still name a role; anything else is left out. */
export function environmentRolesOf(value: unknown): EnvironmentRoles {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, Role] => isRole(entry[1])));
}
