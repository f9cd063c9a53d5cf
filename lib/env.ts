import path from "node:path";
import { z } from "zod";
import { awsServices, type AwsService } from "./domain/aws-services";
import { defaultEnvironment, isHttpUrl, isRegionName, type Environment } from "./domain/environments";
import { isLoopbackUrl } from "./domain/loopback";
import { destinationUrlProblem } from "./domain/alerts/destination-url";
import { readEnvironments } from "./environments";
import { isQueueName } from "./domain/queue-name";
import { isRole, roles, type EnvironmentRoles, type Role } from "./domain/roles";
import { bindingSchema, type BindingSpec } from "./domain/bindings";
import { parseMaskRules, pathsWithEmptySegment, type MaskRules } from "./domain/dead-letter-message";
import { MASKING_FIX, maskingPoliciesSchema, policiesAt, type MaskingPolicy } from "./domain/masking-policy";
import {
  defaultObjectives,
  objectiveVariables,
  parseObjectives,
  type ObjectiveKey,
  type Objectives,
} from "./domain/sla";

/**
 * The console's whole configuration, read from the environment once and validated, so that a bad
 * value stops start-up with the variable's name and the fix instead of failing on first use.
 */

export { awsServices, type AwsService };

export interface UserEntry {
  username: string;
  /** The role wherever `roles` names no other: shorthand for a binding (lib/domain/bindings.ts). */
  role?: Role;
  /** The role in particular environments, by environment id: shorthand for bindings. */
  roles?: EnvironmentRoles;
  /** Roles on scopes: environments and resources (lib/domain/bindings.ts). */
  bindings?: BindingSpec[];
  password?: string;
  passwordHash?: string;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  roleClaim: string;
  /** `FANOUT_OIDC_GROUPS_CLAIM`: the claim listing the user's groups, which FANOUT_ENVIRONMENTS' `groups` map to roles. */
  groupsClaim?: string;
}

export interface Config {
  region: string;
  /** `AWS_ENDPOINT_URL`; undefined means AWS itself through the default credential chain. */
  endpoint?: string;
  /** The endpoint each service really uses: its own `AWS_ENDPOINT_URL_<ID>`, else the general one. */
  serviceEndpoints: Record<AwsService, string | undefined>;
  /** Every effective endpoint is loopback: the console binds to 127.0.0.1 and relaxes local-only rules. */
  localMode: boolean;
  /** What the demo started behind the endpoint (e.g. `moto`), for the environment badge. */
  localAwsName?: string;
  authSecret?: string;
  authUrl?: string;
  /** `FANOUT_TRUSTED_PROXIES`: how many proxies in front append to X-Forwarded-For; 0 ignores the header. */
  trustedProxies: number;
  port: number;
  dataDir: string;
  /** `FANOUT_DATABASE_URL`: the store in this PostgreSQL database (shared by replicas) instead of SQLite in the data dir. */
  databaseUrl?: string;
  /** Users from `FANOUT_USERS`; undefined means the users file in the data dir. */
  users?: UserEntry[];
  oidc?: OidcConfig;
  /** Dead-letter fields the server masks before any response: `FANOUT_MASK_FIELDS`, `FANOUT_MASK_ATTRIBUTES`. */
  mask: MaskRules;
  /**
   * `FANOUT_MASKING`: masking policies for dead-letter queues, the first whose ARN pattern matches
   * applying (lib/domain/masking-policy.ts); where none does, `mask`. Empty when unset.
   */
  masking: MaskingPolicy[];
  /** An unfiltered subscriber queue the console drains for "recent events" (`FANOUT_TAP_QUEUE`). */
  tapQueue?: string;
  /** Service level objectives (`FANOUT_SLO_*`), seeded from AWS's SLAs. */
  objectives: Objectives;
  /** `FANOUT_ALERTS_WEBHOOK`: one generic webhook that every alert of every environment is sent to. */
  alertsWebhook?: string;
  /** `FANOUT_ALERTS_WEBHOOK_SECRET`: the webhook's signing key; unset, one is generated in the data dir. */
  alertsWebhookSecret?: string;
  /** `FANOUT_ALERTS_ALLOWED_HOSTS`: hosts (or `*.domain` patterns) alert destinations may be on, besides Slack's and PagerDuty's. */
  alertsAllowedHosts: string[];
  /** `FANOUT_ALERTS_EVALUATE_SECONDS`: how often the leader evaluates the alert rules (60 s). */
  alertsEvaluateEverySeconds: number;
  /**
   * `FANOUT_ENVIRONMENTS`, or today's variables as the one environment `default`; the first is the
   * default environment. Routes do not use them yet: they act on the fields above.
   */
  environments: Environment[];
}

export interface ConfigIssue {
  variable: string;
  problem: string;
  fix: string;
}

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super(
      "Fanout cannot start: its configuration is invalid.\n" +
        issues.map((i) => `  ${i.variable}: ${i.problem}\n    fix: ${i.fix}`).join("\n"),
    );
    this.name = "ConfigError";
    this.issues = issues;
  }
}

export const usernamePattern = /^[A-Za-z0-9_.@-]{1,64}$/;
const bcryptPattern = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

const userEntrySchema = z
  .object({
    username: z.string().regex(usernamePattern, "letters, digits, _ . @ - (1 to 64)"),
    role: z
      .string()
      .refine(isRole, `one of ${roles.join(", ")}`)
      .optional(),
    roles: z.record(z.string(), z.enum(roles, { error: `one of ${roles.join(", ")}` })).optional(),
    bindings: z.array(bindingSchema).optional(),
    password: z.string().min(1).optional(),
    passwordHash: z.string().regex(bcryptPattern, "a bcrypt hash ($2a$/$2b$/$2y$)").optional(),
  })
  .strict()
  .refine((u) => (u.password === undefined) !== (u.passwordHash === undefined), {
    message: "give exactly one of password or passwordHash",
  })
  .refine((u) => u.role !== undefined || u.roles !== undefined || u.bindings !== undefined, {
    message: "give role, roles or bindings",
  });

export const usersSchema = z
  .array(userEntrySchema)
  .min(1)
  .refine((list) => new Set(list.map((u) => u.username)).size === list.length, "usernames must be unique");

/**
 * Each `roles` entry and binding environment that names no configured environment, as its path in the
 * list (`[1].roles.stagin`, `[1].bindings[0].environments[2]`): a typo there would otherwise bind nothing, silently.
 */
export function rolesOutsideEnvironments(
  users: readonly UserEntry[],
  environments: ReadonlyArray<Pick<Environment, "id">>,
): string[] {
  const known = new Set(["*", ...environments.map((environment) => environment.id)]);
  return users.flatMap((user, index) => [
    ...Object.keys(user.roles ?? {})
      .filter((id) => !known.has(id))
      .map((id) => `[${index}].roles.${id}`),
    ...(user.bindings ?? []).flatMap((binding, at) =>
      binding.environments
        .map((id, position) => ({ id, position }))
        .filter(({ id }) => !known.has(id))
        .map(({ position }) => `[${index}].bindings[${at}].environments[${position}]`),
    ),
  ]);
}

function endpointIssue(variable: string, value: string): ConfigIssue | undefined {
  if (isHttpUrl(value)) return undefined;
  return {
    variable,
    problem: `"${value}" is not an http(s) URL`,
    fix: `set it to an endpoint such as http://127.0.0.1:4566, or unset it to use AWS itself`,
  };
}

function formatZodIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

/** Reads and validates the configuration from an environment record. Throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const issues: ConfigIssue[] = [];
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v === "" ? undefined : v;
  };

  const region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") ?? "us-east-1";
  if (!isRegionName(region)) {
    issues.push({
      variable: "AWS_REGION",
      problem: `"${region}" is not an AWS region`,
      fix: "use a region code such as us-east-1",
    });
  }

  const endpoint = value("AWS_ENDPOINT_URL");
  if (endpoint) {
    const issue = endpointIssue("AWS_ENDPOINT_URL", endpoint);
    if (issue) issues.push(issue);
  }
  const serviceEndpoints = {} as Record<AwsService, string | undefined>;
  for (const service of awsServices) {
    const variable = `AWS_ENDPOINT_URL_${service.toUpperCase()}`;
    const own = value(variable);
    if (own) {
      const issue = endpointIssue(variable, own);
      if (issue) issues.push(issue);
    }
    serviceEndpoints[service] = own ?? endpoint;
  }
  const effective = Object.values(serviceEndpoints);
  const localMode = effective.every((e) => e !== undefined && isLoopbackUrl(e));

  const portText = value("PORT") ?? "3000";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    issues.push({
      variable: "PORT",
      problem: `"${portText}" is not a TCP port`,
      fix: "use a whole number from 1 to 65535",
    });
  }

  const authSecret = value("NEXTAUTH_SECRET");
  if (authSecret && authSecret.length < 32) {
    issues.push({
      variable: "NEXTAUTH_SECRET",
      problem: "is shorter than 32 characters",
      fix: "generate one with `openssl rand -base64 32`",
    });
  } else if (!authSecret && !localMode) {
    issues.push({
      variable: "NEXTAUTH_SECRET",
      problem: "is required when the AWS endpoint is not on this machine",
      fix: "generate one with `openssl rand -base64 32` and keep it stable across restarts",
    });
  }

  const databaseUrl = value("FANOUT_DATABASE_URL");
  if (databaseUrl !== undefined) {
    const problem = databaseUrlProblem(databaseUrl);
    if (problem)
      issues.push({
        variable: "FANOUT_DATABASE_URL",
        problem,
        fix: "set it to postgres://user:password@host:5432/database, or unset it to keep the store in SQLite in the data dir",
      });
    else if (!authSecret)
      issues.push({
        variable: "NEXTAUTH_SECRET",
        problem: "is required when FANOUT_DATABASE_URL is set: every replica must sign and read the same sessions",
        fix: "generate one with `openssl rand -base64 32` and give every replica the same value",
      });
  }

  const authUrl = value("NEXTAUTH_URL");
  if (authUrl) {
    const issue = endpointIssue("NEXTAUTH_URL", authUrl);
    if (issue) issues.push({ ...issue, fix: "set it to the console's public URL, e.g. https://fanout.example.com" });
  }

  const trustedProxiesText = value("FANOUT_TRUSTED_PROXIES") ?? "0";
  const trustedProxies = Number(trustedProxiesText);
  if (!/^\d{1,2}$/.test(trustedProxiesText) || trustedProxies > 10) {
    issues.push({
      variable: "FANOUT_TRUSTED_PROXIES",
      problem: `"${trustedProxiesText}" is not a number of proxies`,
      fix: "give how many reverse proxies in front of the console append to X-Forwarded-For (0 to 10; 0, the default, ignores the header)",
    });
  }

  let users: UserEntry[] | undefined;
  const usersText = value("FANOUT_USERS");
  if (usersText) {
    let raw: unknown;
    try {
      raw = JSON.parse(usersText);
    } catch {
      issues.push({
        variable: "FANOUT_USERS",
        problem: "is not valid JSON",
        fix: 'use a JSON array like [{"username":"ana","passwordHash":"$2b$…","role":"admin"}]',
      });
    }
    if (raw !== undefined) {
      const parsed = usersSchema.safeParse(raw);
      if (!parsed.success) {
        issues.push({
          variable: "FANOUT_USERS",
          problem: formatZodIssues(parsed.error),
          fix:
            "each entry is {username, password | passwordHash, role, roles?} with role viewer, operator or admin, " +
            'and roles by environment id, e.g. {"staging": "operator"}',
        });
      } else {
        users = parsed.data as UserEntry[];
        if (!localMode && users.some((u) => u.password !== undefined)) {
          issues.push({
            variable: "FANOUT_USERS",
            problem: "holds a plain password while the AWS endpoint is not on this machine",
            fix: "replace each password with a bcrypt passwordHash (npx tsx scripts/hash-password.ts)",
          });
        }
      }
    }
  }

  let oidc: OidcConfig | undefined;
  const issuer = value("FANOUT_OIDC_ISSUER");
  const clientId = value("FANOUT_OIDC_CLIENT_ID");
  const clientSecret = value("FANOUT_OIDC_CLIENT_SECRET");
  if (issuer || clientId || clientSecret) {
    for (const [variable, v] of [
      ["FANOUT_OIDC_ISSUER", issuer],
      ["FANOUT_OIDC_CLIENT_ID", clientId],
      ["FANOUT_OIDC_CLIENT_SECRET", clientSecret],
    ] as const) {
      if (!v)
        issues.push({
          variable,
          problem: "is missing while other FANOUT_OIDC_* variables are set",
          fix: "set all three of issuer, client id and client secret, or none",
        });
    }
    if (issuer) {
      const issue = endpointIssue("FANOUT_OIDC_ISSUER", issuer);
      if (issue) issues.push({ ...issue, fix: "use the provider's issuer URL, e.g. https://accounts.example.com" });
    }
    if (issuer && clientId && clientSecret) {
      oidc = {
        issuer,
        clientId,
        clientSecret,
        roleClaim: value("FANOUT_OIDC_ROLE_CLAIM") ?? "fanout_role",
        groupsClaim: value("FANOUT_OIDC_GROUPS_CLAIM"),
      };
    }
  }

  const mask = parseMaskRules(value("FANOUT_MASK_FIELDS") ?? "", value("FANOUT_MASK_ATTRIBUTES") ?? "");
  for (const path of pathsWithEmptySegment(mask)) {
    issues.push({
      variable: "FANOUT_MASK_FIELDS",
      problem: `"${path}" has an empty segment`,
      fix: "give dot paths into the message payload, e.g. customer.email,items.*.card",
    });
  }

  const masking = readMasking(value("FANOUT_MASKING"), issues);

  const tapQueue = value("FANOUT_TAP_QUEUE");
  if (tapQueue !== undefined && !isQueueName(tapQueue)) {
    issues.push({
      variable: "FANOUT_TAP_QUEUE",
      problem: `"${tapQueue}" is not an SQS queue name`,
      fix: "give the name (not the URL) of the unfiltered queue subscribed to the topic, e.g. fanout-demo-orders-tap.fifo",
    });
  }

  const alerts = readAlerts(value, { localMode, databaseUrl }, issues);

  const parsedObjectives = parseObjectives(
    Object.fromEntries(
      (Object.entries(objectiveVariables) as [ObjectiveKey, string][]).map(([key, variable]) => [key, value(variable)]),
    ),
  );
  if (!parsedObjectives.ok) {
    for (const issue of parsedObjectives.issues)
      issues.push({ ...issue, fix: "give a percentage between 0 and 100, e.g. 99.9 (latencies: a positive number)" });
  }
  const objectives = parsedObjectives.ok ? parsedObjectives.objectives : defaultObjectives;

  let environments = [defaultEnvironment({ region, endpoint, serviceEndpoints, localMode })];
  // Users' roles are checked against the environments only once they are known: a broken file is reported as itself.
  let environmentsKnown = true;
  const environmentsText = value("FANOUT_ENVIRONMENTS");
  if (environmentsText) {
    const parsed = readEnvironments(environmentsText, { localMode, allowedHosts: alerts.alertsAllowedHosts });
    if (parsed.ok) environments = parsed.environments;
    else {
      issues.push(...parsed.issues);
      environmentsKnown = false;
    }
  }
  if (users && environmentsKnown) {
    const ids = environments.map((environment) => environment.id).join(", ");
    for (const at of rolesOutsideEnvironments(users, environments))
      issues.push({
        variable: `FANOUT_USERS${at}`,
        problem: "is not a configured environment",
        fix: `use an environment id (${ids}), or remove the entry`,
      });
  }
  if (databaseUrl !== undefined && alerts.alertsWebhookSecret === undefined)
    environments.forEach((environment, index) =>
      environment.alerts?.destinations.forEach((destination, at) => {
        if (destination.kind !== "webhook" || destination.secret !== undefined) return;
        issues.push({
          variable: `FANOUT_ENVIRONMENTS[${index}].alerts.destinations[${at}].secret`,
          problem:
            "is required when FANOUT_DATABASE_URL is set and FANOUT_ALERTS_WEBHOOK_SECRET is not: every replica must sign alike",
          fix: "give the webhook a secret of its own (`openssl rand -hex 32`), or set FANOUT_ALERTS_WEBHOOK_SECRET",
        });
      }),
    );
  environments.forEach((environment, index) => {
    if (!environment.groups || oidc?.groupsClaim) return;
    issues.push({
      variable: `FANOUT_ENVIRONMENTS[${index}].groups`,
      problem: `maps groups to roles, but ${oidc ? "FANOUT_OIDC_GROUPS_CLAIM is not set" : "single sign-on is not configured"}`,
      fix: "set FANOUT_OIDC_GROUPS_CLAIM to the ID-token claim that lists a user's groups (e.g. groups), with the FANOUT_OIDC_* variables, or remove groups",
    });
  });

  if (issues.length > 0) throw new ConfigError(issues);

  return {
    region,
    endpoint,
    serviceEndpoints,
    localMode,
    localAwsName: value("FANOUT_LOCAL_AWS_NAME"),
    authSecret,
    authUrl,
    trustedProxies,
    port,
    // The data dir is chosen at run time; it is not part of the build.
    dataDir: path.resolve(/*turbopackIgnore: true*/ value("FANOUT_DATA_DIR") ?? ".fanout"),
    databaseUrl,
    users,
    oidc,
    mask,
    masking,
    tapQueue,
    objectives,
    ...alerts,
    environments,
  };
}

let cached: Config | undefined;

/** The process's configuration, validated on first use. */
export function getConfig(): Config {
  cached ??= loadConfig(process.env);
  return cached;
}

/** What is wrong with a FANOUT_DATABASE_URL, if anything; the message never repeats the URL (it may hold a password). */
function databaseUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "is not a URL";
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:")
    return `uses ${url.protocol.replace(/:$/, "")}://, but the store speaks only PostgreSQL (postgres://)`;
  if (!url.hostname) return "names no host";
  return undefined;
}

const MASKING_VARIABLE = "FANOUT_MASKING";

/** FANOUT_MASKING's policies (a JSON list); each bad value an issue naming its place, `FANOUT_MASKING[0].reveal`. */
function readMasking(text: string | undefined, issues: ConfigIssue[]): MaskingPolicy[] {
  if (text === undefined) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    issues.push({ variable: MASKING_VARIABLE, problem: "is not valid JSON", fix: MASKING_FIX });
    return [];
  }
  const parsed = maskingPoliciesSchema.safeParse(raw);
  if (parsed.success) return policiesAt(parsed.data, MASKING_VARIABLE);
  const at = (path: readonly PropertyKey[]) =>
    path.reduce<string>(
      (variable, key) => (typeof key === "number" ? `${variable}[${key}]` : `${variable}.${String(key)}`),
      MASKING_VARIABLE,
    );
  for (const issue of parsed.error.issues) {
    if (issue.code === "unrecognized_keys")
      for (const key of issue.keys)
        issues.push({ variable: at([...issue.path, key]), problem: "is not a known field", fix: MASKING_FIX });
    else issues.push({ variable: at(issue.path), problem: issue.message, fix: MASKING_FIX });
  }
  return [];
}

const ALLOWED_HOST_PATTERN = /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/i;
/** As NEXTAUTH_SECRET: a signing key short enough to guess signs nothing. */
const MIN_WEBHOOK_SECRET_LENGTH = 32;

/** The alerts' quick start: one webhook, its secret, and the hosts destinations may be on. */
function readAlerts(
  value: (name: string) => string | undefined,
  context: { localMode: boolean; databaseUrl?: string },
  issues: ConfigIssue[],
): Pick<Config, "alertsWebhook" | "alertsWebhookSecret" | "alertsAllowedHosts" | "alertsEvaluateEverySeconds"> {
  const hostsText = value("FANOUT_ALERTS_ALLOWED_HOSTS");
  const alertsAllowedHosts = (hostsText ?? "")
    .split(",")
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
  for (const host of alertsAllowedHosts)
    if (!ALLOWED_HOST_PATTERN.test(host))
      issues.push({
        variable: "FANOUT_ALERTS_ALLOWED_HOSTS",
        problem: `"${host}" is not a host name`,
        fix: "give host names or subdomain patterns, comma-separated, e.g. alerts.example.com,*.hooks.example.com",
      });

  const alertsWebhook = value("FANOUT_ALERTS_WEBHOOK");
  const problem =
    alertsWebhook !== undefined
      ? destinationUrlProblem(alertsWebhook, { localMode: context.localMode, allowedHosts: alertsAllowedHosts })
      : undefined;
  if (problem)
    issues.push({
      variable: "FANOUT_ALERTS_WEBHOOK",
      problem,
      fix: "give the https URL of the receiver, and add its host to FANOUT_ALERTS_ALLOWED_HOSTS",
    });

  const alertsWebhookSecret = value("FANOUT_ALERTS_WEBHOOK_SECRET");
  if (alertsWebhookSecret !== undefined && alertsWebhookSecret.length < MIN_WEBHOOK_SECRET_LENGTH)
    issues.push({
      variable: "FANOUT_ALERTS_WEBHOOK_SECRET",
      problem: `is shorter than ${MIN_WEBHOOK_SECRET_LENGTH} characters`,
      fix: "generate one with `openssl rand -hex 32` and give the receiver the same",
    });
  else if (alertsWebhook !== undefined && alertsWebhookSecret === undefined && context.databaseUrl !== undefined)
    issues.push({
      variable: "FANOUT_ALERTS_WEBHOOK_SECRET",
      problem: "is required when FANOUT_DATABASE_URL is set: every replica must sign notifications with the same key",
      fix: "generate one with `openssl rand -hex 32` and give every replica and the receiver the same value",
    });
  // CloudWatch's figures move by the minute; shorter is for tests and demos that cannot wait.
  const everyText = value("FANOUT_ALERTS_EVALUATE_SECONDS") ?? "60";
  const alertsEvaluateEverySeconds = Number(everyText);
  if (!/^\d{1,4}$/.test(everyText) || alertsEvaluateEverySeconds < 5 || alertsEvaluateEverySeconds > 3600)
    issues.push({
      variable: "FANOUT_ALERTS_EVALUATE_SECONDS",
      problem: `"${everyText}" is not a number of seconds from 5 to 3600`,
      fix: "leave it unset for once a minute, or give a whole number of seconds from 5 to 3600",
    });
  return {
    ...(alertsWebhook !== undefined ? { alertsWebhook } : {}),
    ...(alertsWebhookSecret !== undefined ? { alertsWebhookSecret } : {}),
    alertsAllowedHosts,
    alertsEvaluateEverySeconds,
  };
}
