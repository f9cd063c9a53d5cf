import { describe, expect, it } from "vitest";
import { shorthandBindings } from "./bindings";
import type { Role } from "./roles";
import { defaultObjectives } from "./sla";
import { AppError } from "./app-error";
import {
  accountMismatchMessage,
  environmentInScope,
  environmentListing,
  parseEnvironments,
  roleArnAccount,
  roleInEnvironment,
  roleRefusal,
  type Environment,
  type EnvironmentIssue,
} from "./environments";

const staging = {
  id: "staging",
  name: "Staging",
  accountId: "222222222222",
  regions: ["eu-west-1"],
  credentials: { source: "assume-role", roleArn: "arn:aws:iam::222222222222:role/fanout-console" },
};

function issuesOf(raw: unknown): EnvironmentIssue[] {
  const result = parseEnvironments(raw);
  if (result.ok) throw new Error("expected issues");
  return result.issues;
}

/** The issues of a list holding `staging` with `change` applied. */
const issuesWith = (change: Record<string, unknown>) => issuesOf([{ ...staging, ...change }]);

describe("parseEnvironments", () => {
  it("fills the defaults of an environment", () => {
    const result = parseEnvironments([staging]);
    expect(result).toEqual({
      ok: true,
      environments: [
        {
          ...staging,
          credentials: { ...staging.credentials, sessionName: "fanout-console" },
          endpoint: undefined,
          serviceEndpoints: {
            sns: undefined,
            sqs: undefined,
            cloudwatch: undefined,
            xray: undefined,
            lambda: undefined,
            sts: undefined,
          },
          local: false,
          kind: "other",
          readOnly: false,
        },
      ],
    });
  });

  it("accepts {environments: [...]} as well as a list", () => {
    const result = parseEnvironments({ environments: [staging] });
    expect(result.ok && result.environments.map((e) => e.id)).toEqual(["staging"]);
  });

  it("reads every optional field and the overrides", () => {
    const result = parseEnvironments([
      {
        ...staging,
        credentials: {
          source: "assume-role",
          roleArn: "arn:aws:iam::222222222222:role/ops/fanout-console",
          externalId: "fanout-7f3a",
          sessionName: "console@ops",
          durationSeconds: 3600,
        },
        endpoint: "http://127.0.0.1:4566",
        kind: "staging",
        readOnly: true,
        tapQueue: "orders-tap.fifo",
        mask: { fields: ["customer.email"], attributes: ["Authorization"] },
        objectives: { sns: 99.5, lambdaP99Ms: "2000" },
      },
      {
        id: "dev",
        name: "Dev",
        accountId: "333333333333",
        regions: ["us-east-1"],
        credentials: { source: "profile", profile: "dev" },
      },
      {
        id: "here",
        name: "Here",
        accountId: "123456789012",
        regions: ["us-east-1"],
        credentials: { source: "default" },
      },
    ]);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const [first, second, third] = result.environments;
    expect(first).toMatchObject({
      credentials: { externalId: "fanout-7f3a", sessionName: "console@ops", durationSeconds: 3600 },
      endpoint: "http://127.0.0.1:4566",
      local: true,
      kind: "staging",
      readOnly: true,
      tapQueue: "orders-tap.fifo",
      mask: { payloadPaths: ["customer.email"], attributeNames: ["Authorization"] },
      objectives: { sns: 0.995, sqs: defaultObjectives.sqs, latency: { lambdaP99Ms: 2000 } },
    });
    expect(first?.serviceEndpoints.lambda).toBe("http://127.0.0.1:4566");
    expect(second?.credentials).toEqual({ source: "profile", profile: "dev" });
    expect(third?.credentials).toEqual({ source: "default" });
  });

  it("reads the roles or bindings identity-provider groups get in an environment", () => {
    const payments = [{ role: "operator", resources: ["arn:aws:sqs:*:*:payments-*"], tags: { team: "payments" } }];
    const groups = { "staging-operators": "operator", "/platform/admins": "admin", payments };
    const result = parseEnvironments([{ ...staging, groups }]);
    expect(result.ok && result.environments[0]?.groups).toEqual({
      "staging-operators": [{ role: "operator" }],
      "/platform/admins": [{ role: "admin" }],
      payments,
    });
    const without = parseEnvironments([staging]);
    expect(without.ok && without.environments[0]?.groups).toBeUndefined();
  });

  it("reads an environment's masking policies, each told where it is configured", () => {
    const masking = [
      {
        name: "payments",
        resources: ["arn:aws:sqs:*:*:payments-*"],
        maskByDefault: true,
        allow: { attributes: ["eventType"] },
      },
      { resources: ["*"], fields: ["customer.email"], reveal: "none" },
    ];
    const result = parseEnvironments([staging, { ...staging, id: "production", masking }]);
    expect(result.ok && result.environments[0]?.masking).toBeUndefined();
    expect(result.ok && result.environments[1]?.masking).toEqual([
      {
        name: "payments",
        resources: ["arn:aws:sqs:*:*:payments-*"],
        maskByDefault: true,
        allow: { payloadPaths: [], attributeNames: ["eventType"] },
        mask: { payloadPaths: [], attributeNames: [] },
        reveal: "operator",
        from: "FANOUT_ENVIRONMENTS[1].masking[0]",
      },
      {
        resources: ["*"],
        maskByDefault: false,
        allow: { payloadPaths: [], attributeNames: [] },
        mask: { payloadPaths: ["customer.email"], attributeNames: [] },
        reveal: "none",
        from: "FANOUT_ENVIRONMENTS[1].masking[1]",
      },
    ]);
  });

  it("makes an environment local only with a loopback endpoint", () => {
    const result = parseEnvironments([{ ...staging, endpoint: "https://localstack.example.com" }]);
    expect(result.ok && result.environments[0]?.local).toBe(false);
  });

  it.each([
    ["a string", "staging.json", "FANOUT_ENVIRONMENTS", "is not a list"],
    ["an empty list", [], "FANOUT_ENVIRONMENTS", "lists no environment"],
    ["an object with other fields", { environments: [staging], users: [] }, "FANOUT_ENVIRONMENTS", "users"],
    ["an object without environments", {}, "FANOUT_ENVIRONMENTS", "without"],
    ["an entry that is not an object", [staging, 3], "FANOUT_ENVIRONMENTS[1]", ""],
  ])("refuses %s", (_label, raw, variable, problem) => {
    const issues = issuesOf(raw);
    expect(issues[0]?.variable).toBe(variable);
    expect(issues[0]?.problem).toContain(problem);
    expect(issues[0]?.fix).not.toBe("");
  });

  it.each([
    ["id", { id: "Staging" }, "FANOUT_ENVIRONMENTS[0].id", "slug"],
    ["id", { id: "-staging" }, "FANOUT_ENVIRONMENTS[0].id", "slug"],
    ["id", { id: "a".repeat(33) }, "FANOUT_ENVIRONMENTS[0].id", "slug"],
    ["id", { id: undefined }, "FANOUT_ENVIRONMENTS[0].id", "is required"],
    ["name", { name: " " }, "FANOUT_ENVIRONMENTS[0].name", "must not be empty"],
    ["name", { name: 7 }, "FANOUT_ENVIRONMENTS[0].name", "must be a name"],
    ["accountId", { accountId: 222222222222 }, "FANOUT_ENVIRONMENTS[0].accountId", "quotes"],
    ["accountId", { accountId: "2222" }, "FANOUT_ENVIRONMENTS[0].accountId", "12 digits"],
    ["regions", { regions: [] }, "FANOUT_ENVIRONMENTS[0].regions", "at least one region"],
    ["regions", { regions: "eu-west-1" }, "FANOUT_ENVIRONMENTS[0].regions", "list of regions"],
    ["regions", { regions: ["eu-west-1", "europe"] }, "FANOUT_ENVIRONMENTS[0].regions[1]", "region code"],
    ["regions", { regions: ["eu-west-1", "eu-west-1"] }, "FANOUT_ENVIRONMENTS[0].regions", "twice"],
    ["credentials", { credentials: undefined }, "FANOUT_ENVIRONMENTS[0].credentials", "is required"],
    ["credentials", { credentials: { source: "keys" } }, "FANOUT_ENVIRONMENTS[0].credentials.source", "assume-role"],
    ["profile", { credentials: { source: "profile" } }, "FANOUT_ENVIRONMENTS[0].credentials.profile", "is required"],
    [
      "profile",
      { credentials: { source: "profile", profile: "my profile" } },
      "FANOUT_ENVIRONMENTS[0].credentials.profile",
      "profile name",
    ],
    [
      "a stray credential field",
      { credentials: { source: "default", profile: "x" } },
      "FANOUT_ENVIRONMENTS[0].credentials.profile",
      "not a known field",
    ],
    [
      "roleArn",
      { credentials: { source: "assume-role" } },
      "FANOUT_ENVIRONMENTS[0].credentials.roleArn",
      "is required",
    ],
    [
      "roleArn",
      { credentials: { source: "assume-role", roleArn: "arn:aws:iam::222222222222:user/ana" } },
      "FANOUT_ENVIRONMENTS[0].credentials.roleArn",
      "role ARN",
    ],
    [
      "roleArn",
      { credentials: { source: "assume-role", roleArn: "arn:aws:iam::111111111111:role/x" } },
      "FANOUT_ENVIRONMENTS[0].credentials.roleArn",
      "names account 111111111111, not the environment's accountId 222222222222",
    ],
    [
      "externalId",
      { credentials: { ...staging.credentials, externalId: "x" } },
      "FANOUT_ENVIRONMENTS[0].credentials.externalId",
      "ExternalId",
    ],
    [
      "externalId",
      { credentials: { ...staging.credentials, externalId: "has space" } },
      "FANOUT_ENVIRONMENTS[0].credentials.externalId",
      "ExternalId",
    ],
    [
      "sessionName",
      { credentials: { ...staging.credentials, sessionName: "a".repeat(65) } },
      "FANOUT_ENVIRONMENTS[0].credentials.sessionName",
      "RoleSessionName",
    ],
    [
      "durationSeconds",
      { credentials: { ...staging.credentials, durationSeconds: 899 } },
      "FANOUT_ENVIRONMENTS[0].credentials.durationSeconds",
      "at least 900",
    ],
    [
      "durationSeconds",
      { credentials: { ...staging.credentials, durationSeconds: 43_201 } },
      "FANOUT_ENVIRONMENTS[0].credentials.durationSeconds",
      "at most 43200",
    ],
    [
      "durationSeconds",
      { credentials: { ...staging.credentials, durationSeconds: 1000.5 } },
      "FANOUT_ENVIRONMENTS[0].credentials.durationSeconds",
      "whole number",
    ],
    ["endpoint", { endpoint: "ftp://127.0.0.1" }, "FANOUT_ENVIRONMENTS[0].endpoint", "http(s) URL"],
    ["endpoint", { endpoint: "127.0.0.1:4566" }, "FANOUT_ENVIRONMENTS[0].endpoint", "http(s) URL"],
    ["kind", { kind: "prod" }, "FANOUT_ENVIRONMENTS[0].kind", "production, staging, development, other"],
    ["readOnly", { readOnly: "yes" }, "FANOUT_ENVIRONMENTS[0].readOnly", "true or false"],
    [
      "tapQueue",
      { tapQueue: "https://sqs.eu-west-1.amazonaws.com/1/q" },
      "FANOUT_ENVIRONMENTS[0].tapQueue",
      "SQS queue name",
    ],
    ["mask", { mask: { fields: ["customer..email"] } }, "FANOUT_ENVIRONMENTS[0].mask.fields", "empty segment"],
    ["mask", { mask: { fields: "customer.email" } }, "FANOUT_ENVIRONMENTS[0].mask.fields", "list of dot paths"],
    ["mask", { mask: { paths: [] } }, "FANOUT_ENVIRONMENTS[0].mask.paths", "not a known field"],
    [
      "masking",
      { masking: [{ resources: ["*"], reveal: "everyone" }] },
      "FANOUT_ENVIRONMENTS[0].masking[0].reveal",
      "operator, admin or none",
    ],
    [
      "masking",
      { masking: [{ resources: ["*"], maskByDefault: true, allow: { fields: ["a..b"] } }] },
      "FANOUT_ENVIRONMENTS[0].masking[0].allow.fields",
      "empty segment",
    ],
    [
      "masking",
      { masking: [{ resources: ["*"], paths: [] }] },
      "FANOUT_ENVIRONMENTS[0].masking[0].paths",
      "not a known field",
    ],
    ["masking", { masking: { resources: ["*"] } }, "FANOUT_ENVIRONMENTS[0].masking", "list of masking policies"],
    ["objectives", { objectives: { sns: 100 } }, "FANOUT_ENVIRONMENTS[0].objectives.sns", "outside (0, 100)"],
    [
      "objectives",
      { objectives: { queueAgeSeconds: -1 } },
      "FANOUT_ENVIRONMENTS[0].objectives.queueAgeSeconds",
      "not positive",
    ],
    ["objectives", { objectives: { sns: true } }, "FANOUT_ENVIRONMENTS[0].objectives.sns", "number"],
    ["groups", { groups: { ops: "root" } }, "FANOUT_ENVIRONMENTS[0].groups.ops", "viewer, operator, admin"],
    ["groups", { groups: { ops: ["operator"] } }, "FANOUT_ENVIRONMENTS[0].groups.ops", "viewer, operator, admin"],
    ["groups", { groups: ["ops"] }, "FANOUT_ENVIRONMENTS[0].groups", "map group names to roles"],
    ["groups", { groups: { "": "viewer" } }, "FANOUT_ENVIRONMENTS[0].groups.", "group name of 1 to 256"],
    [
      "groups",
      { groups: { ["g".repeat(257)]: "viewer" } },
      `FANOUT_ENVIRONMENTS[0].groups.${"g".repeat(257)}`,
      "group name of 1 to 256",
    ],
    ["an unknown field", { region: "eu-west-1" }, "FANOUT_ENVIRONMENTS[0].region", "not a known field"],
  ])("names %s: %j", (_field, change, variable, problem) => {
    const issue = issuesWith(change).find((i) => i.variable === variable);
    expect(issue?.problem).toContain(problem);
    expect(issue?.fix.length).toBeGreaterThan(10);
  });

  it("refuses an id used twice", () => {
    const issues = issuesOf([staging, { ...staging, name: "Staging again" }]);
    expect(issues).toEqual([
      expect.objectContaining({ variable: "FANOUT_ENVIRONMENTS[1].id", problem: '"staging" is used twice' }),
    ]);
  });

  it("lists every problem at once, across environments", () => {
    const issues = issuesOf([
      { ...staging, kind: "prod", regions: [] },
      { ...staging, endpoint: "nope" },
    ]);
    expect(issues.map((i) => i.variable).sort()).toEqual([
      "FANOUT_ENVIRONMENTS[0].kind",
      "FANOUT_ENVIRONMENTS[0].regions",
      "FANOUT_ENVIRONMENTS[1].endpoint",
      "FANOUT_ENVIRONMENTS[1].id",
    ]);
  });
});

describe("an environment's alerts", () => {
  const policy = { localMode: false, allowedHosts: ["alerts.example.com"] };
  const alerts = {
    destinations: [
      { name: "hook", kind: "webhook", url: "https://alerts.example.com/fanout", secret: "s".repeat(32) },
      { name: "unsigned-by-own-key", kind: "webhook", url: "https://alerts.example.com/other" },
      { name: "team", kind: "slack", url: "https://hooks.slack.com/services/T0/B0/x" },
      { name: "on-call", kind: "pagerduty", routingKey: "r".repeat(32) },
    ],
    rules: [{ rule: "dead-letters-arrived", resources: ["arn:aws:sqs:*:*:noisy-*"], enabled: false }],
  };
  const alertIssues = (value: unknown, destinationPolicy = policy) => {
    const result = parseEnvironments([{ ...staging, alerts: value }], { destinationPolicy });
    if (result.ok) throw new Error("expected issues");
    return result.issues.map(({ variable, problem }) => [variable, problem]);
  };

  it("reads destinations of each kind, PagerDuty's URL defaulted, and the rule overrides", () => {
    const result = parseEnvironments(
      [
        { ...staging, alerts },
        { ...staging, id: "other" },
      ],
      { destinationPolicy: policy },
    );
    expect(result.ok && result.environments[0]?.alerts).toEqual({
      destinations: [
        alerts.destinations[0],
        alerts.destinations[1],
        alerts.destinations[2],
        { ...alerts.destinations[3], url: "https://events.pagerduty.com/v2/enqueue" },
      ],
      rules: alerts.rules,
    });
    expect(result.ok && result.environments[1]?.alerts).toBeUndefined();
    const onlyRules = parseEnvironments([{ ...staging, alerts: { rules: alerts.rules } }]);
    expect(onlyRules.ok && onlyRules.environments[0]?.alerts).toEqual({ destinations: [], rules: alerts.rules });
  });

  it("names every bad destination field and rule setting, with the prefix of the environment", () => {
    expect(
      alertIssues({
        destinations: [
          { name: "a b", kind: "webhook", url: "https://alerts.example.com/", secret: "short" },
          { name: "x", kind: "email", url: "https://alerts.example.com/" },
          { name: "y", kind: "slack" },
          { name: "z", kind: "pagerduty", url: "https://events.pagerduty.com/v2/enqueue", secret: "s" },
        ],
        rules: [
          { rule: "dead-letters-expiring", expiresWithinMinutes: 0 },
          { rule: "dead-letters-arrived", pausedForMinutes: 5 },
        ],
        silences: [],
      }),
    ).toEqual(
      expect.arrayContaining([
        ["FANOUT_ENVIRONMENTS[0].alerts.destinations[0].name", expect.stringContaining("letters, digits")],
        ["FANOUT_ENVIRONMENTS[0].alerts.destinations[0].secret", "must be at least 32 characters"],
        ["FANOUT_ENVIRONMENTS[0].alerts.destinations[1].kind", "must be one of webhook, slack, pagerduty"],
        ["FANOUT_ENVIRONMENTS[0].alerts.destinations[2].url", "is required"],
        ["FANOUT_ENVIRONMENTS[0].alerts.destinations[3].routingKey", "is required"],
        ["FANOUT_ENVIRONMENTS[0].alerts.destinations[3].secret", "is not a known field"],
        ["FANOUT_ENVIRONMENTS[0].alerts.silences", "is not a known field"],
        ["FANOUT_ENVIRONMENTS[0].alerts.rules[0].expiresWithinMinutes", "must be at least 1 minute"],
        ["FANOUT_ENVIRONMENTS[0].alerts.rules[1].pausedForMinutes", "is not a setting of this rule"],
      ]),
    );
  });

  it("checks each URL against the allow-list and local mode, and names used twice", () => {
    const destinations = [
      { name: "hook", kind: "webhook", url: "https://elsewhere.example.net/" },
      { name: "hook", kind: "slack", url: "http://hooks.slack.com/services/x" },
      { name: "local", kind: "webhook", url: "http://127.0.0.1:9000/" },
    ];
    expect(alertIssues({ destinations })).toEqual([
      ["FANOUT_ENVIRONMENTS[0].alerts.destinations[0].url", expect.stringContaining("elsewhere.example.net")],
      ["FANOUT_ENVIRONMENTS[0].alerts.destinations[1].name", '"hook" is used twice'],
      ["FANOUT_ENVIRONMENTS[0].alerts.destinations[1].url", "must be https outside this machine"],
      ["FANOUT_ENVIRONMENTS[0].alerts.destinations[2].url", "is on this machine, which only local mode allows"],
    ]);
    const local = parseEnvironments([{ ...staging, alerts: { destinations: [destinations[2]] } }], {
      destinationPolicy: { localMode: true, allowedHosts: [] },
    });
    expect(local.ok).toBe(true);
  });
});

describe("roleArnAccount", () => {
  it.each([
    ["arn:aws:iam::222222222222:role/fanout", "222222222222"],
    ["arn:aws-us-gov:iam::222222222222:role/path/to/fanout", "222222222222"],
    ["arn:aws:iam::222222222222:user/fanout", undefined],
    ["arn:aws:sts::222222222222:assumed-role/fanout/s", undefined],
  ])("%s → %s", (arn, account) => {
    expect(roleArnAccount(arn)).toBe(account);
  });
});

describe("accountMismatchMessage", () => {
  it("names the environment and both accounts", () => {
    const message = accountMismatchMessage({ id: "staging", name: "Staging" }, "222222222222", "123456789012");
    expect(message).toContain('"staging" (Staging)');
    expect(message).toContain("configured for account 222222222222");
    expect(message).toContain("reach account 123456789012");
  });
});

describe("choosing an environment", () => {
  const parsed = parseEnvironments([
    { ...staging, id: "production", name: "Production", regions: ["us-east-1", "us-west-2"], kind: "production" },
    { ...staging, readOnly: true },
  ]);
  if (!parsed.ok) throw new Error("expected valid environments");
  const [production, stagingEnv] = parsed.environments as [Environment, Environment];

  it("acts in the first environment's first region without a scope, else in the scope named", () => {
    expect(environmentInScope(parsed.environments, undefined)).toEqual({
      environment: production,
      region: "us-east-1",
    });
    expect(environmentInScope(parsed.environments, { environment: "production", region: "us-west-2" })).toEqual({
      environment: production,
      region: "us-west-2",
    });
  });

  it("refuses an unknown environment or a region it does not have, naming what exists", () => {
    const unknown = appErrorOf(() =>
      environmentInScope(parsed.environments, { environment: "dev", region: "us-east-1" }),
    );
    expect(unknown.code).toBe("not_found");
    expect(unknown.message).toContain("production, staging");
    const region = appErrorOf(() =>
      environmentInScope(parsed.environments, { environment: "staging", region: "us-east-1" }),
    );
    expect(region.code).toBe("not_found");
    expect(region.message).toContain("its regions: eu-west-1");
  });

  const ids = ["production", "staging"];
  const accessOf = (shorthand: { role?: Role; roles?: Record<string, Role> }) => ({
    bindings: shorthandBindings(shorthand, ids, "users[test]"),
  });

  it("gives a user their role in the environment, else their default role", () => {
    const contractor = accessOf({ role: "viewer", roles: { staging: "operator" } });
    expect(roleInEnvironment(contractor, production)).toBe("viewer");
    expect(roleInEnvironment(contractor, { ...stagingEnv, readOnly: false })).toBe("operator");
  });

  it("gives no role where no binding reaches, and says so when refusing", () => {
    const stagingOnly = accessOf({ roles: { staging: "operator" } });
    expect(roleInEnvironment(stagingOnly, production)).toBeUndefined();
    expect(roleRefusal("viewer", undefined, production)).toBe(
      "You have no role in Production: none of your bindings names it.",
    );
  });

  it("caps every role at viewer in a read-only environment, and says so when refusing a change", () => {
    expect(roleInEnvironment(accessOf({ role: "admin" }), production)).toBe("admin");
    expect(roleInEnvironment(accessOf({ role: "admin" }), stagingEnv)).toBe("viewer");
    expect(roleRefusal("operator", "viewer", stagingEnv)).toMatch(/"staging" \(Staging\) is read-only/);
    expect(roleRefusal("operator", "viewer", production)).toBe(
      "This needs the operator role; you are signed in as viewer in Production.",
    );
  });

  it("lists the environments a binding reaches with the caller's role in each, scoped where it holds on some resources", () => {
    const base = { accountId: "222222222222", kind: "production", readOnly: false } as const;
    expect(environmentListing(parsed.environments, accessOf({ role: "operator" }))).toEqual([
      {
        id: "production",
        name: "Production",
        regions: ["us-east-1", "us-west-2"],
        ...base,
        role: "operator",
        scoped: false,
      },
      {
        id: "staging",
        name: "Staging",
        regions: ["eu-west-1"],
        ...base,
        kind: "other",
        readOnly: true,
        role: "viewer",
        scoped: false,
      },
    ]);
    const payments = {
      bindings: [
        { role: "viewer", environments: ["production"], from: "a" },
        { role: "operator", environments: ["production"], resources: ["arn:aws:sqs:*:*:payments-*"], from: "b" },
      ],
    } as const;
    expect(environmentListing(parsed.environments, payments)).toEqual([
      {
        id: "production",
        name: "Production",
        regions: ["us-east-1", "us-west-2"],
        ...base,
        role: "operator",
        scoped: true,
      },
    ]);
  });
});

function appErrorOf(run: () => unknown): AppError {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected an AppError");
}

describe("an environment's service endpoints", () => {
  it("send one service elsewhere, the rest to the endpoint, and stay local only when every one is loopback", () => {
    const parsed = parseEnvironments([
      { ...staging, endpoint: "http://127.0.0.1:4566", serviceEndpoints: { lambda: "http://127.0.0.1:4567" } },
      {
        ...staging,
        id: "mixed",
        endpoint: "http://127.0.0.1:4566",
        serviceEndpoints: { xray: "https://xray.example" },
      },
    ]);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const [local, mixed] = parsed.environments as [Environment, Environment];
    expect(local.serviceEndpoints).toMatchObject({ sqs: "http://127.0.0.1:4566", lambda: "http://127.0.0.1:4567" });
    expect(local.local).toBe(true);
    expect(mixed.local).toBe(false);
  });

  it("name a bad service or URL", () => {
    expect(issuesWith({ serviceEndpoints: { lambda: "ftp://x" } })[0]?.variable).toBe(
      "FANOUT_ENVIRONMENTS[0].serviceEndpoints.lambda",
    );
    expect(issuesWith({ serviceEndpoints: { s3: "http://127.0.0.1:1" } })[0]?.variable).toMatch(
      /^FANOUT_ENVIRONMENTS\[0\]\.serviceEndpoints/,
    );
  });
});
