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

/** The less privileged of two roles: a cap applied to a role. */
export const lowerRole = (a: Role, b: Role): Role => (roleAtLeast(a, b) ? b : a);

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
