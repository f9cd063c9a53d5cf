import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { environmentEntry, environmentsValue } from "../test/environment-fixtures";
import { ConfigError, loadConfig } from "./env";

const local = { AWS_ENDPOINT_URL: "http://127.0.0.1:4566" };
const secret = "s".repeat(32);

function issuesOf(env: Record<string, string>) {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  return [];
}

describe("loadConfig", () => {
  it("applies the documented defaults", () => {
    const config = loadConfig(local);
    expect(config).toMatchObject({
      region: "us-east-1",
      port: 3000,
      localMode: true,
      endpoint: "http://127.0.0.1:4566",
    });
    expect(config.dataDir).toMatch(/\.fanout$/);
    expect(config.serviceEndpoints.sqs).toBe("http://127.0.0.1:4566");
    expect(config.trustedProxies).toBe(0);
  });

  it("reads how many proxies to trust for X-Forwarded-For", () => {
    expect(loadConfig({ ...local, FANOUT_TRUSTED_PROXIES: "2" }).trustedProxies).toBe(2);
  });

  it("lets a per-service endpoint override the general one", () => {
    const config = loadConfig({ ...local, AWS_ENDPOINT_URL_LAMBDA: "http://127.0.0.1:9001" });
    expect(config.serviceEndpoints.lambda).toBe("http://127.0.0.1:9001");
    expect(config.serviceEndpoints.sns).toBe("http://127.0.0.1:4566");
    expect(config.localMode).toBe(true);
  });

  it.each([
    ["no endpoint at all (real AWS)", { NEXTAUTH_SECRET: secret }, false],
    ["a remote general endpoint", { AWS_ENDPOINT_URL: "https://sqs.example.com", NEXTAUTH_SECRET: secret }, false],
    [
      "a loopback general endpoint but one remote service",
      { ...local, AWS_ENDPOINT_URL_SQS: "http://10.0.0.5:4566", NEXTAUTH_SECRET: secret },
      false,
    ],
    ["a loopback general endpoint", local, true],
    ["localhost", { AWS_ENDPOINT_URL: "http://localhost:4566" }, true],
    ["IPv6 loopback", { AWS_ENDPOINT_URL: "http://[::1]:4566" }, true],
    [
      "only per-service loopback endpoints, general unset",
      { NEXTAUTH_SECRET: secret, AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:1" },
      false,
    ],
  ])("local mode with %s is %s", (_label, env, expected) => {
    expect(loadConfig(env as Record<string, string>).localMode).toBe(expected);
  });

  it.each([
    ["AWS_REGION", { ...local, AWS_REGION: "mars-1" }, /not an AWS region/],
    ["AWS_ENDPOINT_URL", { AWS_ENDPOINT_URL: "ftp://x" }, /not an http\(s\) URL/],
    ["AWS_ENDPOINT_URL_SQS", { ...local, AWS_ENDPOINT_URL_SQS: "not a url" }, /not an http\(s\) URL/],
    ["PORT", { ...local, PORT: "70000" }, /not a TCP port/],
    ["PORT", { ...local, PORT: "abc" }, /not a TCP port/],
    ["NEXTAUTH_SECRET", { AWS_ENDPOINT_URL: "https://aws.example.com" }, /required/],
    ["NEXTAUTH_SECRET", { ...local, NEXTAUTH_SECRET: "short" }, /shorter than 32/],
    ["NEXTAUTH_URL", { ...local, NEXTAUTH_URL: "nope" }, /not an http\(s\) URL/],
    ["FANOUT_TRUSTED_PROXIES", { ...local, FANOUT_TRUSTED_PROXIES: "-1" }, /not a number of proxies/],
    ["FANOUT_TRUSTED_PROXIES", { ...local, FANOUT_TRUSTED_PROXIES: "yes" }, /not a number of proxies/],
    ["FANOUT_TRUSTED_PROXIES", { ...local, FANOUT_TRUSTED_PROXIES: "11" }, /not a number of proxies/],
    ["FANOUT_USERS", { ...local, FANOUT_USERS: "[{" }, /not valid JSON/],
    [
      "FANOUT_USERS",
      { ...local, FANOUT_USERS: JSON.stringify([{ username: "a", password: "p", role: "root" }]) },
      /role/,
    ],
    [
      "FANOUT_USERS",
      { ...local, FANOUT_USERS: JSON.stringify([{ username: "a", role: "admin" }]) },
      /exactly one of password or passwordHash/,
    ],
    [
      "FANOUT_USERS",
      {
        ...local,
        FANOUT_USERS: JSON.stringify([
          { username: "a", password: "p", role: "admin" },
          { username: "a", password: "q", role: "viewer" },
        ]),
      },
      /unique/,
    ],
    [
      "FANOUT_USERS",
      { ...local, FANOUT_USERS: JSON.stringify([{ username: "a", passwordHash: "plain", role: "admin" }]) },
      /bcrypt/,
    ],
    [
      "FANOUT_USERS",
      { NEXTAUTH_SECRET: secret, FANOUT_USERS: JSON.stringify([{ username: "a", password: "p", role: "admin" }]) },
      /plain password/,
    ],
    [
      "FANOUT_OIDC_CLIENT_SECRET",
      { ...local, FANOUT_OIDC_ISSUER: "https://id.example.com", FANOUT_OIDC_CLIENT_ID: "x" },
      /missing/,
    ],
    ["FANOUT_MASKING", { ...local, FANOUT_MASKING: "[{" }, /not valid JSON/],
    [
      "FANOUT_MASKING[0].reveal",
      { ...local, FANOUT_MASKING: JSON.stringify([{ resources: ["*"], reveal: "viewer" }]) },
      /operator, admin or none/,
    ],
    [
      "FANOUT_MASKING[1].resources[0]",
      { ...local, FANOUT_MASKING: JSON.stringify([{ resources: ["*"] }, { resources: ["payments-*"] }]) },
      /ARN pattern/,
    ],
    [
      "FANOUT_MASKING[0].allow",
      { ...local, FANOUT_MASKING: JSON.stringify([{ resources: ["*"], allow: { fields: ["orderId"] } }]) },
      /only with maskByDefault: true/,
    ],
    [
      "FANOUT_MASKING[0].hide",
      { ...local, FANOUT_MASKING: JSON.stringify([{ resources: ["*"], hide: ["x"] }]) },
      /not a known field/,
    ],
  ])("rejects a bad %s and says how to fix it", (variable, env, problem) => {
    const issues = issuesOf(env as Record<string, string>);
    const issue = issues.find((i) => i.variable === variable);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue!.problem).toMatch(problem);
    expect(issue!.fix.length).toBeGreaterThan(10);
  });

  it("reads FANOUT_MASKING's policies, each told where it is configured; unset, there are none", () => {
    expect(loadConfig(local).masking).toEqual([]);
    const policies = [{ resources: ["arn:aws:sqs:*:*:payments-*"], maskByDefault: true, reveal: "admin" }];
    expect(loadConfig({ ...local, FANOUT_MASKING: JSON.stringify(policies) }).masking).toEqual([
      {
        resources: ["arn:aws:sqs:*:*:payments-*"],
        maskByDefault: true,
        allow: { payloadPaths: [], attributeNames: [] },
        mask: { payloadPaths: [], attributeNames: [] },
        reveal: "admin",
        from: "FANOUT_MASKING[0]",
      },
    ]);
  });

  it("puts the store in PostgreSQL with FANOUT_DATABASE_URL, and then wants the replicas' shared secret", () => {
    expect(loadConfig(local).databaseUrl).toBeUndefined();
    const url = "postgres://fanout:pw@db.internal:5432/fanout";
    expect(loadConfig({ ...local, FANOUT_DATABASE_URL: url, NEXTAUTH_SECRET: secret }).databaseUrl).toBe(url);
    // In local mode too: a generated secret lives in one replica's data dir.
    expect(issuesOf({ ...local, FANOUT_DATABASE_URL: url })).toMatchObject([
      { variable: "NEXTAUTH_SECRET", problem: expect.stringMatching(/every replica/) },
    ]);
    const problems = (value: string) => issuesOf({ ...local, FANOUT_DATABASE_URL: value, NEXTAUTH_SECRET: secret });
    expect(problems("mysql://db:3306/fanout")).toMatchObject([
      { variable: "FANOUT_DATABASE_URL", problem: expect.stringMatching(/only PostgreSQL/) },
    ]);
    expect(problems("db.internal/fanout")).toMatchObject([
      { variable: "FANOUT_DATABASE_URL", problem: "is not a URL" },
    ]);
    // The password never appears in a message.
    expect(JSON.stringify(problems("mysql://fanout:hunter2@db/fanout"))).not.toContain("hunter2");
  });

  it("reports every problem at once, each naming its variable", () => {
    const error = (() => {
      try {
        loadConfig({ AWS_ENDPOINT_URL: "https://aws.example.com", PORT: "0", AWS_REGION: "x" });
      } catch (err) {
        return err as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.issues.map((i) => i.variable).sort()).toEqual(["AWS_REGION", "NEXTAUTH_SECRET", "PORT"]);
    expect(error!.message).toContain("NEXTAUTH_SECRET");
    expect(error!.message).toContain("fix:");
  });

  it("accepts hashed users outside local mode and plain ones in it", () => {
    const hashed = [{ username: "ana", role: "admin", passwordHash: "$2b$10$" + "a".repeat(53) }];
    expect(loadConfig({ NEXTAUTH_SECRET: secret, FANOUT_USERS: JSON.stringify(hashed) }).users).toHaveLength(1);
    const plain = [{ username: "ana", role: "viewer", password: "pw" }];
    expect(loadConfig({ ...local, FANOUT_USERS: JSON.stringify(plain) }).users?.[0]?.role).toBe("viewer");
  });

  it("configures OIDC only when issuer, client id and secret are all given", () => {
    const config = loadConfig({
      ...local,
      FANOUT_OIDC_ISSUER: "https://id.example.com",
      FANOUT_OIDC_CLIENT_ID: "c",
      FANOUT_OIDC_CLIENT_SECRET: "s",
    });
    expect(config.oidc).toEqual({
      issuer: "https://id.example.com",
      clientId: "c",
      clientSecret: "s",
      roleClaim: "fanout_role",
    });
    expect(loadConfig(local).oidc).toBeUndefined();
  });
});

describe("FANOUT_ENVIRONMENTS", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "fanout-environments-"));
  const fileWith = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const staging = {
    id: "staging",
    name: "Staging",
    accountId: "222222222222",
    regions: ["eu-west-1", "us-east-1"],
    credentials: { source: "assume-role", roleArn: "arn:aws:iam::222222222222:role/fanout", externalId: "ext-1" },
  };

  it("without it, today's variables make the one environment, default", () => {
    const config = loadConfig({ ...local, AWS_REGION: "eu-west-1", AWS_ENDPOINT_URL_LAMBDA: "http://127.0.0.1:9001" });
    expect(config.environments).toEqual([
      {
        id: "default",
        name: "Default",
        accountId: undefined,
        regions: ["eu-west-1"],
        credentials: { source: "default" },
        endpoint: "http://127.0.0.1:4566",
        serviceEndpoints: config.serviceEndpoints,
        local: true,
        kind: "other",
        readOnly: false,
      },
    ]);
    expect(config.environments[0]?.serviceEndpoints.lambda).toBe("http://127.0.0.1:9001");
  });

  it("reads inline JSON and keeps today's fields as they are", () => {
    const config = loadConfig({ ...local, FANOUT_ENVIRONMENTS: JSON.stringify([staging]) });
    expect(config.environments.map((e) => [e.id, e.regions])).toEqual([["staging", ["eu-west-1", "us-east-1"]]]);
    expect(config).toMatchObject({ region: "us-east-1", endpoint: "http://127.0.0.1:4566", localMode: true });
  });

  it("reads a JSON file", () => {
    const file = fileWith("environments.json", JSON.stringify({ environments: [staging] }));
    expect(loadConfig({ ...local, FANOUT_ENVIRONMENTS: file }).environments[0]?.id).toBe("staging");
  });

  it("reads a YAML file", () => {
    const file = fileWith(
      "environments.yaml",
      [
        "- id: production",
        "  name: Production",
        '  accountId: "111111111111"',
        "  regions: [us-east-1, eu-west-1]",
        "  kind: production",
        "  readOnly: true",
        "  credentials:",
        "    source: assume-role",
        "    roleArn: arn:aws:iam::111111111111:role/fanout-console",
        "    externalId: fanout-prod",
        "    durationSeconds: 3600",
      ].join("\n"),
    );
    const [production] = loadConfig({ ...local, FANOUT_ENVIRONMENTS: file }).environments;
    expect(production).toMatchObject({
      id: "production",
      accountId: "111111111111",
      regions: ["us-east-1", "eu-west-1"],
      kind: "production",
      readOnly: true,
      credentials: {
        source: "assume-role",
        externalId: "fanout-prod",
        durationSeconds: 3600,
        sessionName: "fanout-console",
      },
    });
  });

  it("says an unquoted YAML account id must be quoted", () => {
    const file = fileWith(
      "unquoted.yml",
      "- id: a\n  name: A\n  accountId: 111111111111\n  regions: [us-east-1]\n  credentials: {source: default}\n",
    );
    expect(issuesOf({ ...local, FANOUT_ENVIRONMENTS: file })).toEqual([
      expect.objectContaining({
        variable: "FANOUT_ENVIRONMENTS[0].accountId",
        problem: expect.stringContaining("quotes"),
      }),
    ]);
  });

  it.each([
    ["inline JSON that does not parse", () => "[{", "is not valid JSON"],
    ["a file of another kind", () => fileWith("environments.toml", ""), "neither inline JSON nor"],
    ["a missing file", () => path.join(dir, "missing.json"), "does not exist"],
    ["a JSON file that does not parse", () => fileWith("broken.json", "{"), "is not valid JSON"],
    ["a YAML file that does not parse", () => fileWith("broken.yaml", "- id: [a"), "is not valid YAML"],
  ])("refuses %s", (_label, value, problem) => {
    const issues = issuesOf({ ...local, FANOUT_ENVIRONMENTS: value() });
    expect(issues).toEqual([
      expect.objectContaining({ variable: "FANOUT_ENVIRONMENTS", problem: expect.stringContaining(problem) }),
    ]);
  });

  it("lists its problems with the other variables'", () => {
    const issues = issuesOf({
      ...local,
      PORT: "0",
      FANOUT_ENVIRONMENTS: JSON.stringify([{ ...staging, kind: "live" }]),
    });
    expect(issues.map((i) => i.variable)).toEqual(["PORT", "FANOUT_ENVIRONMENTS[0].kind"]);
  });
});

describe("roles per environment", () => {
  const user = (roles?: Record<string, string>, username = "cy") => ({
    username,
    password: "pw",
    role: "viewer",
    roles,
  });
  const withUsers = (...users: unknown[]) => ({
    ...local,
    FANOUT_ENVIRONMENTS: environmentsValue("production", "staging"),
    FANOUT_USERS: JSON.stringify(users),
  });
  const oidc = {
    FANOUT_OIDC_ISSUER: "https://id.example.com",
    FANOUT_OIDC_CLIENT_ID: "c",
    FANOUT_OIDC_CLIENT_SECRET: "s",
  };

  it("accepts roles by environment id beside the default role", () => {
    const config = loadConfig(withUsers(user({ staging: "operator" }), user(undefined, "di")));
    expect(config.users?.map((u) => [u.role, u.roles])).toEqual([
      ["viewer", { staging: "operator" }],
      ["viewer", undefined],
    ]);
    // Without FANOUT_ENVIRONMENTS the one environment is `default`.
    expect(loadConfig({ ...local, FANOUT_USERS: JSON.stringify([user({ default: "admin" })]) }).users).toHaveLength(1);
  });

  it("names a roles entry for an environment that is not configured", () => {
    const issues = issuesOf(withUsers(user(), user({ staging: "operator", stagin: "operator" }, "di")));
    expect(issues).toEqual([
      {
        variable: "FANOUT_USERS[1].roles.stagin",
        problem: "is not a configured environment",
        fix: "use an environment id (production, staging), or remove the entry",
      },
    ]);
  });

  it("names a roles entry that is not a role", () => {
    const issues = issuesOf(withUsers(user({ staging: "root" })));
    expect(issues).toEqual([
      expect.objectContaining({ variable: "FANOUT_USERS", problem: expect.stringContaining("0.roles.staging") }),
    ]);
  });

  it("does not check roles against environments it could not read: the file's own problem is reported", () => {
    const issues = issuesOf({
      ...local,
      FANOUT_ENVIRONMENTS: "[{",
      FANOUT_USERS: JSON.stringify([user({ staging: "operator" })]),
    });
    expect(issues.map((i) => i.variable)).toEqual(["FANOUT_ENVIRONMENTS"]);
  });

  it("reads the groups claim with single sign-on", () => {
    expect(loadConfig({ ...local, ...oidc, FANOUT_OIDC_GROUPS_CLAIM: "groups" }).oidc?.groupsClaim).toBe("groups");
    expect(loadConfig({ ...local, ...oidc }).oidc?.groupsClaim).toBeUndefined();
  });

  it("refuses group mappings that no sign-in would read", () => {
    const mapped = JSON.stringify([
      environmentEntry("production"),
      environmentEntry("staging", { groups: { ops: "operator" } }),
    ]);
    expect(issuesOf({ ...local, ...oidc, FANOUT_ENVIRONMENTS: mapped })).toEqual([
      expect.objectContaining({
        variable: "FANOUT_ENVIRONMENTS[1].groups",
        problem: "maps groups to roles, but FANOUT_OIDC_GROUPS_CLAIM is not set",
      }),
    ]);
    expect(issuesOf({ ...local, FANOUT_ENVIRONMENTS: mapped, FANOUT_OIDC_GROUPS_CLAIM: "groups" })).toEqual([
      expect.objectContaining({
        variable: "FANOUT_ENVIRONMENTS[1].groups",
        problem: "maps groups to roles, but single sign-on is not configured",
      }),
    ]);
    const config = loadConfig({ ...local, ...oidc, FANOUT_ENVIRONMENTS: mapped, FANOUT_OIDC_GROUPS_CLAIM: "groups" });
    expect(config.environments[1]?.groups).toEqual({ ops: [{ role: "operator" }] });
  });
});

describe("the alerts' configuration", () => {
  const hook = "https://alerts.example.com/fanout";
  const remote = { AWS_REGION: "eu-west-1", NEXTAUTH_SECRET: secret };

  it("takes one webhook, its secret and the allowed hosts", () => {
    const config = loadConfig({
      ...remote,
      FANOUT_ALERTS_WEBHOOK: hook,
      FANOUT_ALERTS_WEBHOOK_SECRET: "w".repeat(32),
      FANOUT_ALERTS_ALLOWED_HOSTS: " alerts.example.com, *.Hooks.example.com ",
    });
    expect(config).toMatchObject({
      alertsWebhook: hook,
      alertsWebhookSecret: "w".repeat(32),
      alertsAllowedHosts: ["alerts.example.com", "*.hooks.example.com"],
    });
    expect(loadConfig(local)).toMatchObject({ alertsAllowedHosts: [], alertsEvaluateEverySeconds: 60 });
    expect(loadConfig(local).alertsWebhook).toBeUndefined();
  });

  it("evaluates once a minute unless told a whole number of seconds from 5 to 3600", () => {
    expect(loadConfig({ ...local, FANOUT_ALERTS_EVALUATE_SECONDS: "5" }).alertsEvaluateEverySeconds).toBe(5);
    for (const bad of ["4", "3601", "1.5", "soon"])
      expect(issuesOf({ ...local, FANOUT_ALERTS_EVALUATE_SECONDS: bad })).toMatchObject([
        { variable: "FANOUT_ALERTS_EVALUATE_SECONDS", problem: `"${bad}" is not a number of seconds from 5 to 3600` },
      ]);
  });

  it("refuses a webhook off the allow-list, on this machine outside local mode, or over plain http", () => {
    expect(issuesOf({ ...remote, FANOUT_ALERTS_WEBHOOK: hook })).toMatchObject([
      {
        variable: "FANOUT_ALERTS_WEBHOOK",
        problem: expect.stringContaining("not on the alert destinations' allow-list"),
      },
    ]);
    expect(issuesOf({ ...remote, FANOUT_ALERTS_WEBHOOK: "http://127.0.0.1:9000/hook" })).toMatchObject([
      { variable: "FANOUT_ALERTS_WEBHOOK", problem: "is on this machine, which only local mode allows" },
    ]);
    const plain = {
      ...remote,
      FANOUT_ALERTS_WEBHOOK: "http://alerts.example.com/",
      FANOUT_ALERTS_ALLOWED_HOSTS: "alerts.example.com",
    };
    expect(issuesOf(plain)).toMatchObject([
      { variable: "FANOUT_ALERTS_WEBHOOK", problem: "must be https outside this machine" },
    ]);
    // Local mode: the demo's receiver on this machine.
    expect(loadConfig({ ...local, FANOUT_ALERTS_WEBHOOK: "http://127.0.0.1:9000/hook" }).alertsWebhook).toBe(
      "http://127.0.0.1:9000/hook",
    );
  });

  it("refuses a short secret, a host that is no host name, and a generated secret beside shared replicas", () => {
    expect(issuesOf({ ...local, FANOUT_ALERTS_WEBHOOK_SECRET: "short" }).map((i) => i.variable)).toEqual([
      "FANOUT_ALERTS_WEBHOOK_SECRET",
    ]);
    expect(issuesOf({ ...local, FANOUT_ALERTS_ALLOWED_HOSTS: "https://alerts.example.com/" })).toMatchObject([
      { variable: "FANOUT_ALERTS_ALLOWED_HOSTS", problem: '"https://alerts.example.com/" is not a host name' },
    ]);
    const replicas = {
      ...local,
      FANOUT_DATABASE_URL: "postgres://fanout@db:5432/fanout",
      NEXTAUTH_SECRET: secret,
      FANOUT_ALERTS_WEBHOOK: "http://127.0.0.1:9000/hook",
    };
    expect(issuesOf(replicas)).toMatchObject([
      { variable: "FANOUT_ALERTS_WEBHOOK_SECRET", problem: expect.stringContaining("every replica") },
    ]);
    expect(issuesOf({ ...replicas, FANOUT_ALERTS_WEBHOOK_SECRET: "w".repeat(32) })).toEqual([]);
  });
});
