import { z } from "zod";
import { highestRole, lowerRole, roles, type EnvironmentRoles, type Role } from "./roles";

/**
 * Role bindings: a binding gives one role on one scope, environments (ids or `*`) and resources (ARN
 * patterns with `*`, and/or tags). What a caller may do to a resource is the highest role among the
 * bindings that match THAT resource: each binding is checked whole, so two bindings never combine
 * into a role on a scope that neither grants (a viewer of production's orders queues who operates
 * staging is not an operator of production's orders queues). Pure, for the server and for tests.
 */

export interface Binding {
  role: Role;
  /** Environment ids; `*` is every environment. */
  environments: readonly string[];
  /** ARN patterns, `*` standing for any run of characters; absent is every resource. */
  resources?: readonly string[];
  /** Tags the resource must all carry; absent is no condition. */
  tags?: Readonly<Record<string, string>>;
  /** Where the binding was declared, for "why" (`users[ana].bindings[1]`, `group payments-oncall`). */
  from: string;
}

/** A resource acted on or listed: its ARNs (a subscription has its own and its endpoint's) and its tags when known. */
export interface ResourceRef {
  arns: readonly string[];
  tags?: Readonly<Record<string, string>>;
}

/**
 * A caller's access: their bindings, each cap narrowing them (an API token's own bindings sit
 * within its creator's: the lower of the two roles counts on every resource).
 */
export interface Access {
  bindings: readonly Binding[];
  caps?: ReadonlyArray<readonly Binding[]>;
}

const ALL = "*";

const inEnvironment = (binding: Binding, environmentId: string): boolean =>
  binding.environments.includes(ALL) || binding.environments.includes(environmentId);

/** A binding that applies to every resource of its environments. */
export const isUnrestricted = (binding: Binding): boolean =>
  binding.resources === undefined && binding.tags === undefined;

const patternCache = new Map<string, RegExp>();

/** An ARN pattern as an anchored expression: `*` is any run of characters (IAM's ARN wildcard), the rest literal. */
function patternExpression(pattern: string): RegExp {
  let expression = patternCache.get(pattern);
  if (!expression) {
    const source = pattern
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    expression = new RegExp(`^${source}$`);
    if (patternCache.size > 1000) patternCache.clear();
    patternCache.set(pattern, expression);
  }
  return expression;
}

export const arnMatches = (pattern: string, arn: string): boolean => patternExpression(pattern).test(arn);

/** Why a binding does or does not match a resource: undefined when it matches, else the first reason it does not. */
export function mismatch(
  binding: Binding,
  environmentId: string,
  resource: ResourceRef | undefined,
): string | undefined {
  if (!inEnvironment(binding, environmentId))
    return `not bound in ${environmentId} (${binding.environments.join(", ")})`;
  if (!resource) return isUnrestricted(binding) ? undefined : "bound to some resources only";
  if (binding.resources && !binding.resources.some((p) => resource.arns.some((arn) => arnMatches(p, arn))))
    return `no ARN matches ${binding.resources.join(" or ")}`;
  if (binding.tags) {
    if (!resource.tags) return "the resource's tags are not known";
    const missing = Object.entries(binding.tags).find(([key, value]) => resource.tags![key] !== value);
    if (missing) return `the resource is not tagged ${missing[0]}=${missing[1]}`;
  }
  return undefined;
}

/** The highest role among bindings that match the resource (undefined: every resource in the environment). */
function highestMatching(
  bindings: readonly Binding[],
  environmentId: string,
  resource: ResourceRef | undefined,
): Role | undefined {
  return highestRole(bindings.filter((b) => mismatch(b, environmentId, resource) === undefined).map((b) => b.role));
}

const lower = (a: Role | undefined, b: Role | undefined): Role | undefined =>
  a === undefined || b === undefined ? undefined : lowerRole(a, b);

/** The role a caller has on one resource of an environment; undefined is none (they may not even see it). */
export function roleOnResource(access: Access, environmentId: string, resource: ResourceRef): Role | undefined {
  return (access.caps ?? []).reduce(
    (role, cap) => lower(role, highestMatching(cap, environmentId, resource)),
    highestMatching(access.bindings, environmentId, resource),
  );
}

/** Resources' tags by ARN, as far as they were read. */
export type TagsByArn = ReadonlyMap<string, Readonly<Record<string, string>>>;

/**
 * A resource with the tags `tags` holds for one of its ARNs (a subscription's are its queue's), unless
 * it has its own: a list knows its items' ARNs, and their tags are read once for every caller.
 */
export function withKnownTags(resource: ResourceRef, tags: TagsByArn | undefined): ResourceRef {
  if (resource.tags || !tags) return resource;
  const known = resource.arns.map((arn) => tags.get(arn)).find((found) => found !== undefined);
  return known ? { ...resource, tags: known } : resource;
}

/** The role a caller has on every resource of an environment (bindings with no resource condition). */
export function roleOnEveryResource(access: Access, environmentId: string): Role | undefined {
  return (access.caps ?? []).reduce(
    (role, cap) => lower(role, highestMatching(cap, environmentId, undefined)),
    highestMatching(access.bindings, environmentId, undefined),
  );
}

/**
 * The most a caller may do on some resource of an environment: what a route's least role is checked
 * against before any lookup. It bounds every resource's role from above, so a refusal here is final.
 */
export function highestRoleInEnvironment(access: Access, environmentId: string): Role | undefined {
  const highest = (bindings: readonly Binding[]) =>
    highestRole(bindings.filter((b) => inEnvironment(b, environmentId)).map((b) => b.role));
  return (access.caps ?? []).reduce((role, cap) => lower(role, highest(cap)), highest(access.bindings));
}

/** Whether deciding on a resource of the environment may need its tags (some binding there names tags). */
export function needsTags(access: Access, environmentId: string): boolean {
  return [access.bindings, ...(access.caps ?? [])].some((list) =>
    list.some((b) => b.tags !== undefined && inEnvironment(b, environmentId)),
  );
}

/** One binding's verdict on a resource, for "what can this user do here, and why". */
export interface BindingVerdict {
  binding: Binding;
  /** Undefined when the binding matches. */
  mismatch?: string;
  /** Which list it is in: the caller's own bindings, or a cap on them (a token's creator). */
  list: "bindings" | "cap";
}

export interface AccessExplanation {
  role: Role | undefined;
  verdicts: BindingVerdict[];
}

export function explainAccess(access: Access, environmentId: string, resource: ResourceRef): AccessExplanation {
  const verdicts = (list: readonly Binding[], kind: BindingVerdict["list"]) =>
    list.map((binding) => {
      const why = mismatch(binding, environmentId, resource);
      return { binding, list: kind, ...(why === undefined ? {} : { mismatch: why }) };
    });
  return {
    role: roleOnResource(access, environmentId, resource),
    verdicts: [...verdicts(access.bindings, "bindings"), ...(access.caps ?? []).flatMap((c) => verdicts(c, "cap"))],
  };
}

/**
 * The bindings `role` and `roles` stand for: each `roles` entry binds its role in its environment,
 * and `role` binds in every other configured one (so `roles` can lower a role as well as raise it).
 */
export function shorthandBindings(
  shorthand: { role?: Role; roles?: Readonly<EnvironmentRoles> },
  environmentIds: readonly string[],
  from: string,
): Binding[] {
  const own = Object.entries(shorthand.roles ?? {});
  const elsewhere = environmentIds.filter((id) => !Object.hasOwn(shorthand.roles ?? {}, id));
  return [
    ...own.map(([environment, role]) => ({ role, environments: [environment], from: `${from}.roles.${environment}` })),
    ...(shorthand.role && elsewhere.length > 0
      ? [{ role: shorthand.role, environments: elsewhere, from: `${from}.role` }]
      : []),
  ];
}

// AWS General Reference, "Amazon Resource Names (ARNs)": arn:partition:service:region:account-id:resource.
export const ARN_PATTERN = /^(\*|arn:[^\s]*)$/;
const MAX_PATTERNS = 50;

/** One ARN pattern as configured: a binding's resources, a masking policy's (lib/domain/masking-policy.ts). */
export const arnPatternSchema = z
  .string({ error: "must be an ARN pattern" })
  .max(2048)
  .regex(ARN_PATTERN, "must be an ARN pattern such as arn:aws:sqs:*:*:payments-*");

/** A binding as written in the users file, an environment's `groups`, or a token request. */
export const bindingSchema = z
  .object({
    role: z.enum(roles, { error: `must be one of ${roles.join(", ")}` }),
    environments: z
      .array(z.string({ error: "must be an environment id or *" }).min(1), {
        error: 'must be a list of environment ids, or ["*"]',
      })
      .min(1, 'must name at least one environment, or ["*"]')
      .default([ALL]),
    resources: z
      .array(arnPatternSchema, { error: "must be a list of ARN patterns" })
      .min(1, "must list at least one ARN pattern, or be left out for every resource")
      .max(MAX_PATTERNS, `must list at most ${MAX_PATTERNS} patterns`)
      .optional(),
    tags: z
      .record(z.string().min(1).max(128), z.string().max(256), { error: "must map tag keys to values" })
      .refine((tags) => Object.keys(tags).length > 0, "must name at least one tag, or be left out")
      .optional(),
  })
  .strict();

/** A binding as configured, before it is told where it came from. */
export type BindingSpec = z.output<typeof bindingSchema>;

/** What an environment's `groups` maps a group to: a role there, or bindings there (on some resources). */
export const groupGrantSchema = z.union(
  [z.enum(roles).transform((role) => [{ role }]), z.array(bindingSchema.omit({ environments: true })).min(1)],
  {
    error: `must be one of ${roles.join(", ")}, or a list of bindings such as [{"role": "operator", "resources": [...]}]`,
  },
);

export type GroupGrant = z.output<typeof groupGrantSchema>;

/** The environment ids bindings name that are not configured (a typo would silently bind nothing). */
export function unknownEnvironments(bindings: readonly Binding[], environmentIds: readonly string[]): string[] {
  return bindings.flatMap((b) =>
    b.environments.filter((id) => id !== ALL && !environmentIds.includes(id)).map((id) => `${b.from}: ${id}`),
  );
}

/** A binding as people read it: `operator in production on arn:aws:sqs:*:*:payments-* tagged team=payments`. */
export function describeBinding(binding: Binding): string {
  const where = binding.environments.includes(ALL) ? "every environment" : binding.environments.join(", ");
  const on = binding.resources ? ` on ${binding.resources.join(", ")}` : "";
  const tagged = binding.tags
    ? ` tagged ${Object.entries(binding.tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")}`
    : "";
  return `${binding.role} in ${where}${on}${tagged}`;
}

/** A users entry's bindings: its `role` and `roles` shorthand, then its own `bindings`. */
export function userBindings(
  user: { username: string; role?: Role; roles?: Readonly<EnvironmentRoles>; bindings?: readonly BindingSpec[] },
  environmentIds: readonly string[],
): Binding[] {
  const from = `users[${user.username}]`;
  return [
    ...shorthandBindings(user, environmentIds, from),
    ...(user.bindings ?? []).map((binding, index) => ({ ...binding, from: `${from}.bindings[${index}]` })),
  ];
}

/** The highest role any binding gives anywhere: what a person is called in the header and the audit trail. */
export const highestBoundRole = (bindings: readonly Binding[]): Role | undefined =>
  highestRole(bindings.map((binding) => binding.role));
