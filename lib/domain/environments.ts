import { z } from "zod";
import { AppError } from "./app-error";
import { roleAtLeast, type Role } from "./roles";
import { groupGrantSchema, highestRoleInEnvironment, isUnrestricted, type Access } from "./bindings";
import { awsServices, type AwsService } from "./aws-services";
import { parseMaskRules, pathsWithEmptySegment, type MaskRules } from "./dead-letter-message";
import { MASKING_FIX, maskingPoliciesSchema, policiesAt, type MaskingPolicy } from "./masking-policy";
import type { GroupGrants } from "./group-roles";
import { isRecord } from "./is-record";
import {
  destinationSettingProblems,
  destinationSettingsSchema,
  type DestinationSetting,
} from "./alerts/destination-settings";
import type { DestinationPolicy } from "./alerts/destination-url";
import { parseAlertRuleOverrides, type AlertRuleOverride } from "./alerts/rules";
import { isLoopbackUrl } from "./loopback";
import { isQueueName } from "./queue-name";
import { objectiveVariables, parseObjectives, type ObjectiveKey, type Objectives } from "./sla";

/**
 * The environments the console can act on (`FANOUT_ENVIRONMENTS`): an AWS account with its regions,
 * the credentials that reach it and an optional endpoint. Pure: lib/environments.ts reads the file,
 * this module validates what it holds and names every bad value with its field and the fix.
 */

export const ENVIRONMENTS_VARIABLE = "FANOUT_ENVIRONMENTS";

export const environmentKinds = ["production", "staging", "development", "other"] as const;
export type EnvironmentKind = (typeof environmentKinds)[number];

/** The session name AssumeRole is given when the environment names none; it shows in CloudTrail. */
export const DEFAULT_ROLE_SESSION_NAME = "fanout-console";

export type EnvironmentCredentials =
  | { source: "default" }
  | { source: "profile"; profile: string }
  | {
      source: "assume-role";
      roleArn: string;
      externalId?: string;
      sessionName: string;
      durationSeconds?: number;
    };

export interface Environment {
  /** A slug, used in URLs and cache keys. */
  id: string;
  name: string;
  /** The account the credentials must reach; undefined for `default` until sts:GetCallerIdentity answers. */
  accountId?: string;
  /** One or more; the first is where unscoped pages and routes act. */
  regions: string[];
  credentials: EnvironmentCredentials;
  /** Like AWS_ENDPOINT_URL: undefined means AWS itself. */
  endpoint?: string;
  /** The endpoint each service uses (the `default` environment keeps AWS_ENDPOINT_URL_<SERVICE>). */
  serviceEndpoints: Record<AwsService, string | undefined>;
  /** Every endpoint is loopback (moto, LocalStack on this machine). */
  local: boolean;
  kind: EnvironmentKind;
  /** Refuses every mutation, for every role. */
  readOnly: boolean;
  /** Overrides of the global settings (FANOUT_TAP_QUEUE, FANOUT_MASK_*, FANOUT_MASKING, FANOUT_SLO_*); undefined keeps them. */
  tapQueue?: string;
  mask?: MaskRules;
  masking?: MaskingPolicy[];
  objectives?: Objectives;
  /** Single sign-on: the role or bindings each identity-provider group gets here (lib/domain/group-roles.ts). */
  groups?: GroupGrants;
  /** Where this environment's alerts go besides FANOUT_ALERTS_WEBHOOK, and its rules' thresholds. */
  alerts?: EnvironmentAlerts;
}

export interface EnvironmentAlerts {
  /** With their secrets: never sent to a browser (lib/alerts-config.ts turns them into ids). */
  destinations: DestinationSetting[];
  /** Overrides of the built-in rules' settings, the later winning (lib/domain/alerts/rules.ts). */
  rules: AlertRuleOverride[];
}

/** One bad value, in the shape of lib/env.ts's ConfigIssue. */
export interface EnvironmentIssue {
  variable: string;
  problem: string;
  fix: string;
}

// Region codes such as us-east-1, eu-central-2, us-gov-west-1 (AWS General Reference, "AWS Regions").
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
export const isRegionName = (value: string): boolean => REGION_NAME.test(value);

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

const ENVIRONMENT_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;
const ACCOUNT_ID = /^\d{12}$/;
export const isEnvironmentId = (value: string): boolean => ENVIRONMENT_ID.test(value);
export const isAccountId = (value: string): boolean => ACCOUNT_ID.test(value);
// IAM User Guide, "IAM identifiers" (IAM ARNs): arn:<partition>:iam::<account>:role/<path><name>, the
// name up to 64 of letters, digits and +=,.@_-; the path "/" or slash-delimited segments.
const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
// AWS STS API Reference, AssumeRole request parameters.
const ROLE_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const MIN_DURATION_SECONDS = 900;
const MAX_DURATION_SECONDS = 43_200;
// Names in ~/.aws/config and ~/.aws/credentials: a section header's text, without brackets or spaces.
const PROFILE_NAME = /^[\w+=,.@:/-]{1,128}$/;
// Group names are the identity provider's (paths, spaces, ids); the bound only keeps the file sane.
const MAX_GROUP_NAME_LENGTH = 256;

/** The account in a role ARN, or undefined when it is not one. */
export function roleArnAccount(roleArn: string): string | undefined {
  return ROLE_ARN.exec(roleArn)?.[2];
}

const required = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? "is required" : `must be ${what}`;

const text = (what: string) => z.string({ error: required(what) });

const credentialsSchema = z.discriminatedUnion(
  "source",
  [
    z.object({ source: z.literal("default") }).strict(),
    z
      .object({
        source: z.literal("profile"),
        profile: text("a profile name").regex(PROFILE_NAME, "must be a profile name of ~/.aws/config, e.g. staging"),
      })
      .strict(),
    z
      .object({
        source: z.literal("assume-role"),
        roleArn: text("a role ARN").regex(ROLE_ARN, "must be a role ARN, arn:aws:iam::<12-digit account>:role/<name>"),
        externalId: text("a string")
          .regex(EXTERNAL_ID, "must be 2 to 1224 letters, digits or +=,.@:/-_ (STS AssumeRole ExternalId)")
          .optional(),
        sessionName: text("a string")
          .regex(ROLE_SESSION_NAME, "must be 2 to 64 letters, digits or +=,.@-_ (STS AssumeRole RoleSessionName)")
          .default(DEFAULT_ROLE_SESSION_NAME),
        durationSeconds: z
          .number({ error: required("a number of seconds") })
          .int("must be a whole number of seconds")
          .min(MIN_DURATION_SECONDS, `must be at least ${MIN_DURATION_SECONDS} seconds (15 minutes)`)
          .max(MAX_DURATION_SECONDS, `must be at most ${MAX_DURATION_SECONDS} seconds (12 hours)`)
          .optional(),
      })
      .strict(),
  ],
  {
    error: (issue) => (issue.input === undefined ? "is required" : 'must be "default", "profile" or "assume-role"'),
  },
);

// parseObjectives names its issues by FANOUT_SLO_* variable; here they are fields of `objectives`.
const objectiveKeyOf = Object.fromEntries(
  Object.entries(objectiveVariables).map(([key, variable]) => [variable, key]),
) as Record<string, ObjectiveKey>;

const percentOrNumber = z.union([z.number(), z.string()], { error: "must be a number or a numeric string" });

const environmentSchema = z
  .object({
    id: text("a slug").regex(ENVIRONMENT_ID, "must be a slug: lowercase letters, digits and -, 1 to 32, e.g. staging"),
    name: text("a name").trim().min(1, "must not be empty").max(64, "must be at most 64 characters"),
    accountId: text("12 digits in quotes").regex(ACCOUNT_ID, 'must be 12 digits, quoted, e.g. "123456789012"'),
    regions: z
      .array(text("a region").regex(REGION_NAME, "must be a region code such as eu-west-1"), {
        error: required("a list of regions"),
      })
      .min(1, "must list at least one region")
      .refine((list) => new Set(list).size === list.length, "must not list a region twice"),
    credentials: credentialsSchema,
    endpoint: text("a URL").refine(isHttpUrl, "must be an http(s) URL such as http://127.0.0.1:4566").optional(),
    // Like AWS_ENDPOINT_URL_<SERVICE>: one service elsewhere (a local Lambda service beside moto).
    serviceEndpoints: z
      .partialRecord(
        z.enum(awsServices, { error: `must be one of ${awsServices.join(", ")}` }),
        text("a URL").refine(isHttpUrl, "must be an http(s) URL such as http://127.0.0.1:4567"),
      )
      .optional(),
    kind: z.enum(environmentKinds, { error: `must be one of ${environmentKinds.join(", ")}` }).default("other"),
    readOnly: z.boolean({ error: "must be true or false" }).default(false),
    tapQueue: text("a queue name").refine(isQueueName, "must be an SQS queue name (not a URL)").optional(),
    mask: z
      .object({
        fields: z.array(text("a dot path"), { error: "must be a list of dot paths" }).optional(),
        attributes: z.array(text("an attribute name"), { error: "must be a list of attribute names" }).optional(),
      })
      .strict()
      .transform((mask, ctx) => {
        const rules = parseMaskRules((mask.fields ?? []).join(","), (mask.attributes ?? []).join(","));
        for (const path of pathsWithEmptySegment(rules)) {
          ctx.addIssue({ code: "custom", path: ["fields"], message: `"${path}" has an empty segment` });
        }
        return rules;
      })
      .optional(),
    masking: maskingPoliciesSchema.optional(),
    objectives: z
      .object({
        sns: percentOrNumber.optional(),
        sqs: percentOrNumber.optional(),
        lambda: percentOrNumber.optional(),
        endToEnd: percentOrNumber.optional(),
        lambdaP99Ms: percentOrNumber.optional(),
        queueAgeSeconds: percentOrNumber.optional(),
      })
      .strict()
      .transform((input, ctx) => {
        const parsed = parseObjectives(
          Object.fromEntries(
            Object.entries(input).map(([key, value]) => [key, value === undefined ? undefined : String(value)]),
          ),
        );
        if (parsed.ok) return parsed.objectives;
        for (const issue of parsed.issues) {
          ctx.addIssue({
            code: "custom",
            path: [objectiveKeyOf[issue.variable] ?? issue.variable],
            message: issue.problem,
          });
        }
        return z.NEVER;
      })
      .optional(),
    groups: z
      .record(text("a group name").min(1).max(MAX_GROUP_NAME_LENGTH), groupGrantSchema, {
        error: (issue) =>
          issue.code === "invalid_key"
            ? `must be a group name of 1 to ${MAX_GROUP_NAME_LENGTH} characters`
            : "must map group names to roles or bindings",
      })
      .optional(),
    // The rules are checked by parseAlertRuleOverrides, which names their fields (alertsIssues).
    alerts: z
      .object({ destinations: destinationSettingsSchema.default([]), rules: z.unknown().optional() })
      .strict()
      .optional(),
  })
  .strict();

/** What to do about a bad value, by the environment field it is in. */
const fixes: Record<string, string> = {
  id: "give each environment a unique slug such as production or staging-eu",
  name: "give the name people see in the switcher, e.g. Production",
  accountId: 'give the account\'s 12-digit id as a string, e.g. "123456789012"',
  regions: 'list the environment\'s region codes, e.g. ["eu-west-1", "us-east-1"]',
  credentials:
    'use {"source":"default"}, {"source":"profile","profile":"<name>"} or ' +
    '{"source":"assume-role","roleArn":"arn:aws:iam::<accountId>:role/<name>","externalId":"…"}',
  endpoint: "give an endpoint such as http://127.0.0.1:4566, or leave it out to use AWS itself",
  serviceEndpoints: `give a URL per service (${awsServices.join(", ")}), e.g. {"lambda": "http://127.0.0.1:4567"}`,
  kind: "use production, staging, development or other",
  readOnly: "use true or false",
  tapQueue: "give the name (not the URL) of the unfiltered queue subscribed to the topic",
  mask: 'use {"fields": ["customer.email"], "attributes": ["authorization"]}',
  masking: MASKING_FIX,
  objectives: 'give percentages such as {"sns": 99.9} (lambdaP99Ms, queueAgeSeconds: positive numbers)',
  groups:
    'map the identity provider\'s group names to roles or bindings, e.g. {"staging-operators": "operator", ' +
    '"payments": [{"role": "operator", "resources": ["arn:aws:sqs:*:*:payments-*"]}]}; ' +
    "FANOUT_OIDC_GROUPS_CLAIM names the ID-token claim that lists a user's groups",
  alerts:
    'give {"destinations": [{"name": "on-call", "kind": "slack", "url": "https://hooks.slack.com/services/…"}], ' +
    '"rules": [{"rule": "dead-letters-expiring", "resources": ["arn:aws:sqs:*:*:payments-*"], "expiresWithinMinutes": 60}]}; ' +
    "a destination's host must be on FANOUT_ALERTS_ALLOWED_HOSTS (Slack's and PagerDuty's are)",
};
const credentialFixes: Record<string, string> = {
  profile: "give the name of a profile in ~/.aws/config or ~/.aws/credentials on the console's machine",
  roleArn: "give the ARN of the role to assume, arn:aws:iam::<accountId>:role/<name>",
  externalId: "give the external id the role's trust policy requires (sts:ExternalId), or leave it out",
  sessionName: `give a name for CloudTrail, or leave it out for "${DEFAULT_ROLE_SESSION_NAME}"`,
  durationSeconds: "give 900 to 43200, no more than the role's maximum session duration, or leave it out (1 hour)",
};
const listFix =
  'give a JSON or YAML list of environments, [{"id","name","accountId","regions","credentials"}], or {"environments": [...]}';

function variableAt(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (variable, key) => (typeof key === "number" ? `${variable}[${key}]` : `${variable}.${String(key)}`),
    ENVIRONMENTS_VARIABLE,
  );
}

/** The fix for a field: its own (credentials' fields have theirs), else the environment field's it is in. */
function fixAt(path: readonly PropertyKey[]): string {
  const field = path[1];
  const last = path.at(-1);
  if (field === "credentials" && typeof last === "string" && credentialFixes[last]) return credentialFixes[last];
  return typeof field === "string" ? (fixes[field] ?? listFix) : listFix;
}

function issuesOf(error: z.ZodError): EnvironmentIssue[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      const atEnvironment = issue.path.length === 1;
      return issue.keys.map((key) => ({
        variable: variableAt([...issue.path, key]),
        problem: "is not a known field",
        fix: atEnvironment
          ? `remove it; an environment's fields are ${Object.keys(fixes).join(", ")}`
          : fixAt(issue.path),
      }));
    }
    return [{ variable: variableAt(issue.path), problem: issue.message, fix: fixAt(issue.path) }];
  });
}

export type ParseEnvironmentsResult =
  { ok: true; environments: Environment[] } | { ok: false; issues: EnvironmentIssue[] };

/**
 * The environments of a parsed FANOUT_ENVIRONMENTS value: a list, or `{ "environments": [...] }`.
 * Every bad value is reported at once, each naming its field (`FANOUT_ENVIRONMENTS[1].regions[0]`).
 */
export function parseEnvironments(
  raw: unknown,
  options: { destinationPolicy?: DestinationPolicy } = {},
): ParseEnvironmentsResult {
  let list: unknown = raw;
  if (isRecord(raw)) {
    const extra = Object.keys(raw).filter((key) => key !== "environments");
    if (extra.length > 0 || !("environments" in raw)) {
      return {
        ok: false,
        issues: [
          {
            variable: ENVIRONMENTS_VARIABLE,
            problem: extra.length
              ? `has fields other than "environments": ${extra.join(", ")}`
              : 'is an object without "environments"',
            fix: listFix,
          },
        ],
      };
    }
    list = raw.environments;
  }
  if (!Array.isArray(list)) {
    return { ok: false, issues: [{ variable: ENVIRONMENTS_VARIABLE, problem: "is not a list", fix: listFix }] };
  }

  if (list.length === 0) {
    return { ok: false, issues: [{ variable: ENVIRONMENTS_VARIABLE, problem: "lists no environment", fix: listFix }] };
  }
  const parsed = z.array(environmentSchema).safeParse(list);
  const alerts = alertsOf(list, options.destinationPolicy ?? STRICT_DESTINATION_POLICY);
  // Checked on the raw entries, so that they are reported beside the other problems of the same entries.
  const issues = [
    ...(parsed.success ? [] : issuesOf(parsed.error)),
    ...crossFieldIssues(list),
    ...alerts.flatMap((entry) => entry.issues),
  ];
  if (!parsed.success || issues.length > 0) return { ok: false, issues };

  const environments = parsed.data.map(
    ({ endpoint, serviceEndpoints: own = {}, masking, alerts: ownAlerts, ...rest }, index): Environment => {
      const serviceEndpoints = Object.fromEntries(
        awsServices.map((service) => [service, own[service] ?? endpoint]),
      ) as Record<AwsService, string | undefined>;
      const effective = Object.values(serviceEndpoints);
      return {
        ...rest,
        ...(masking ? { masking: policiesAt(masking, variableAt([index, "masking"])) } : {}),
        ...(ownAlerts ? { alerts: { destinations: ownAlerts.destinations, rules: alerts[index]!.rules } } : {}),
        endpoint,
        serviceEndpoints,
        local: effective.every((url) => url !== undefined && isLoopbackUrl(url)),
      };
    },
  );
  return { ok: true, environments };
}

/** Without the console's policy (a test, a script): only the services' own hosts. */
const STRICT_DESTINATION_POLICY: DestinationPolicy = { localMode: false, allowedHosts: [] };

/**
 * Each entry's rule overrides, and what the shape of `alerts` does not say: the destinations' URLs
 * against the policy (as FANOUT_ALERTS_WEBHOOK's, lib/env.ts) and their names unique in the environment.
 */
function alertsOf(
  list: unknown[],
  policy: DestinationPolicy,
): { rules: AlertRuleOverride[]; issues: EnvironmentIssue[] }[] {
  return list.map((entry, index) => {
    if (!isRecord(entry) || !isRecord(entry.alerts)) return { rules: [], issues: [] };
    const { destinations, rules } = entry.alerts;
    const issues: EnvironmentIssue[] = destinationSettingProblems(destinations, policy).map(({ path, problem }) => ({
      variable: variableAt([index, "alerts", "destinations", ...path]),
      problem,
      fix:
        path.at(-1) === "url"
          ? "give the https URL of the receiver, and add its host to FANOUT_ALERTS_ALLOWED_HOSTS"
          : fixes.alerts!,
    }));
    if (rules === undefined) return { rules: [], issues };
    const parsed = parseAlertRuleOverrides(rules, variableAt([index, "alerts", "rules"]));
    if (parsed.ok) return { rules: parsed.overrides, issues };
    return {
      rules: [],
      issues: [
        ...issues,
        ...parsed.issues.map(({ field, problem }) => ({ variable: field, problem, fix: fixes.alerts! })),
      ],
    };
  });
}

/** Unique ids, and an assumed role in the environment's own account. */
function crossFieldIssues(list: unknown[]): EnvironmentIssue[] {
  const issues: EnvironmentIssue[] = [];
  const seen = new Set<string>();
  list.forEach((entry, index) => {
    if (!isRecord(entry)) return;
    const { id, accountId, credentials } = entry;
    if (typeof id === "string") {
      if (seen.has(id)) {
        issues.push({ variable: variableAt([index, "id"]), problem: `"${id}" is used twice`, fix: fixes.id! });
      }
      seen.add(id);
    }
    if (!isRecord(credentials) || credentials.source !== "assume-role" || typeof credentials.roleArn !== "string")
      return;
    const account = roleArnAccount(credentials.roleArn);
    if (account !== undefined && typeof accountId === "string" && ACCOUNT_ID.test(accountId) && account !== accountId) {
      issues.push({
        variable: variableAt([index, "credentials", "roleArn"]),
        problem: `names account ${account}, not the environment's accountId ${accountId}`,
        fix: "assume a role in the environment's own account, or correct accountId",
      });
    }
  });
  return issues;
}

/** Today's variables (AWS_REGION, AWS_ENDPOINT_URL[_<SERVICE>]) as the one environment, `default`. */
export function defaultEnvironment(settings: {
  region: string;
  endpoint?: string;
  serviceEndpoints: Record<AwsService, string | undefined>;
  localMode: boolean;
}): Environment {
  return {
    id: "default",
    name: "Default",
    accountId: undefined,
    regions: [settings.region],
    credentials: { source: "default" },
    endpoint: settings.endpoint,
    serviceEndpoints: settings.serviceEndpoints,
    local: settings.localMode,
    kind: "other",
    readOnly: false,
  };
}

/** The error when an environment's credentials reach another account than the one it is configured for. */
export function accountMismatchMessage(
  environment: Pick<Environment, "id" | "name">,
  expected: string,
  actual: string,
) {
  return (
    `Environment "${environment.id}" (${environment.name}) is configured for account ${expected}, but its ` +
    `credentials reach account ${actual}: fix accountId or the credentials in ${ENVIRONMENTS_VARIABLE}.`
  );
}

/** The environment a request acts in, one of its regions chosen: what operations and audit entries see of it. */
export interface ActiveEnvironment {
  id: string;
  name: string;
  kind: EnvironmentKind;
  readOnly: boolean;
  /** The configured account; undefined for `default` (sts:GetCallerIdentity says, when asked). */
  accountId?: string;
  region: string;
}

/**
 * The environment and region a scope names, or the default (the first environment, its first region)
 * without one. An unknown environment or a region it does not have is a 404 naming what exists.
 */
export function environmentInScope(
  environments: readonly Environment[],
  scope: { environment: string; region: string } | undefined,
): { environment: Environment; region: string } {
  const fallback = environments[0];
  if (!fallback) throw new Error("no environment is configured");
  if (!scope) return { environment: fallback, region: fallback.regions[0]! };
  const environment = environments.find((e) => e.id === scope.environment);
  if (!environment) {
    const known = environments.map((e) => e.id).join(", ");
    throw new AppError("not_found", `No environment "${scope.environment}": the console knows ${known}.`);
  }
  if (!environment.regions.includes(scope.region)) {
    throw new AppError(
      "not_found",
      `Environment "${environment.id}" has no region ${scope.region}; its regions: ${environment.regions.join(", ")}.`,
    );
  }
  return { environment, region: scope.region };
}

export function activeEnvironment(environment: Environment, region: string): ActiveEnvironment {
  const { id, name, kind, readOnly, accountId } = environment;
  return { id, name, kind, readOnly, accountId, region };
}

/**
 * The most a caller may do in an environment (the highest role of their bindings there, whatever the
 * resource: routes check their least role against it before any lookup); undefined when no binding
 * of theirs reaches it. A read-only environment caps every role at viewer, so it refuses every change
 * (the access table's operator and admin rows) whoever asks.
 */
export function roleInEnvironment(access: Access, environment: Pick<Environment, "id" | "readOnly">): Role | undefined {
  const role = highestRoleInEnvironment(access, environment.id);
  return role && environment.readOnly ? "viewer" : role;
}

/** Why a route needing `needed` is refused to a user whose role in the environment is `role` (undefined: none). */
export function roleRefusal(
  needed: Role,
  role: Role | undefined,
  environment: Pick<Environment, "id" | "name" | "readOnly">,
) {
  if (environment.readOnly && roleAtLeast(needed, "operator")) {
    return `Environment "${environment.id}" (${environment.name}) is read-only: it refuses every change, whatever the role.`;
  }
  if (!role) return `You have no role in ${environment.name}: none of your bindings names it.`;
  return `This needs the ${needed} role; you are signed in as ${role} in ${environment.name}.`;
}

/** What `GET /api/environments` says of one environment: where it is and the caller's role there. */
export interface EnvironmentListing {
  id: string;
  name: string;
  /** Undefined (absent in JSON) for `default` until sts:GetCallerIdentity is asked. */
  accountId?: string;
  regions: string[];
  kind: EnvironmentKind;
  readOnly: boolean;
  /** The most the caller may do there; on some resources only when `scoped`. */
  role: Role;
  /** The caller's role there holds on some resources only (their bindings there name resources or tags). */
  scoped: boolean;
}

/** The environments a user may see (some binding reaches), in configuration order (the first is the default), with their role in each. */
export function environmentListing(environments: readonly Environment[], access: Access): EnvironmentListing[] {
  return environments.flatMap((environment) => {
    const { id, name, accountId, regions, kind, readOnly } = environment;
    const role = roleInEnvironment(access, environment);
    if (!role) return [];
    const scoped =
      roleInEnvironment({ ...access, bindings: access.bindings.filter(isUnrestricted) }, environment) !== role;
    return [{ id, name, accountId, regions, kind, readOnly, role, scoped }];
  });
}
