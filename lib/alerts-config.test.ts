import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  configuredDestinations,
  consoleBaseUrl,
  configuredDestinationOf,
  destinationPolicyOf,
  ruleOverridesOf,
  WEBHOOK_DESTINATION_ID,
} from "./alerts-config";
import { loadConfig } from "./env";

const local = { AWS_ENDPOINT_URL: "http://127.0.0.1:4566" };

describe("the alerts' destinations from the configuration", () => {
  it("are none without FANOUT_ALERTS_WEBHOOK", () => {
    const config = loadConfig(local);
    expect(configuredDestinations(config)).toEqual([]);
    expect(configuredDestinationOf(config, WEBHOOK_DESTINATION_ID)).toBeUndefined();
  });

  it("are the one webhook, its secret added only when it is looked up to send", () => {
    const config = loadConfig({
      ...local,
      FANOUT_ALERTS_WEBHOOK: "http://127.0.0.1:9000/hook",
      FANOUT_ALERTS_WEBHOOK_SECRET: "w".repeat(32),
      FANOUT_ALERTS_ALLOWED_HOSTS: "alerts.example.com",
    });
    expect(configuredDestinations(config)).toEqual([{ id: "webhook", kind: "webhook" }]);
    expect(configuredDestinationOf(config, "webhook")).toEqual({
      id: "webhook",
      kind: "webhook",
      url: "http://127.0.0.1:9000/hook",
      secret: "w".repeat(32),
    });
    expect(configuredDestinationOf(config, "slack")).toBeUndefined();
    expect(destinationPolicyOf(config)).toEqual({ localMode: true, allowedHosts: ["alerts.example.com"] });
  });

  it("sign with the secret generated in the data dir when none is given", () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "fanout-alerts-config-"));
    const config = loadConfig({ ...local, FANOUT_DATA_DIR: dataDir, FANOUT_ALERTS_WEBHOOK: "http://127.0.0.1:9000/" });
    const destination = configuredDestinationOf(config, "webhook");
    expect(destination).toMatchObject({ kind: "webhook", secret: expect.stringMatching(/^.{32,}$/) });
    expect(configuredDestinationOf(config, "webhook")).toEqual(destination);
  });
});

describe("an environment's own destinations", () => {
  const environments = [
    {
      id: "staging",
      name: "Staging",
      accountId: "222222222222",
      regions: ["us-east-1"],
      credentials: { source: "default" },
      endpoint: "http://127.0.0.1:4566",
      alerts: {
        destinations: [
          { name: "team", kind: "slack", url: "http://127.0.0.1:9000/slack" },
          { name: "on-call", kind: "pagerduty", routingKey: "r".repeat(32), url: "http://127.0.0.1:9000/pd" },
          { name: "hook", kind: "webhook", url: "http://127.0.0.1:9000/hook" },
          { name: "signed", kind: "webhook", url: "http://127.0.0.1:9000/own", secret: "o".repeat(32) },
        ],
        rules: [{ rule: "dead-letters-arrived", resources: ["arn:aws:sqs:*:*:noisy-*"], enabled: false }],
      },
    },
    {
      id: "quiet",
      name: "Quiet",
      accountId: "222222222222",
      regions: ["us-east-1"],
      credentials: { source: "default" },
    },
  ];
  const config = loadConfig({
    ...local,
    FANOUT_ALERTS_WEBHOOK: "http://127.0.0.1:9000/quick",
    FANOUT_ALERTS_WEBHOOK_SECRET: "w".repeat(32),
    FANOUT_ENVIRONMENTS: JSON.stringify(environments),
  });
  const [staging, quiet] = config.environments;

  it("are the quick start's and the scope's environment's, by ids naming the environment", () => {
    expect(configuredDestinations(config, staging)).toEqual([
      { id: "webhook", kind: "webhook" },
      { id: "env:staging:team", kind: "slack" },
      { id: "env:staging:on-call", kind: "pagerduty" },
      { id: "env:staging:hook", kind: "webhook" },
      { id: "env:staging:signed", kind: "webhook" },
    ]);
    expect(configuredDestinations(config, quiet)).toEqual([{ id: "webhook", kind: "webhook" }]);
    expect(configuredDestinations({ ...config, alertsWebhook: undefined }).map((d) => d.id)).toContain(
      "env:staging:team",
    );
  });

  it("are found by id with their secrets, a webhook without its own signing with the quick start's", () => {
    expect(configuredDestinationOf(config, "env:staging:team")).toEqual({
      id: "env:staging:team",
      kind: "slack",
      url: "http://127.0.0.1:9000/slack",
    });
    expect(configuredDestinationOf(config, "env:staging:on-call")).toEqual({
      id: "env:staging:on-call",
      kind: "pagerduty",
      url: "http://127.0.0.1:9000/pd",
      routingKey: "r".repeat(32),
    });
    expect(configuredDestinationOf(config, "env:staging:hook")).toMatchObject({
      kind: "webhook",
      secret: "w".repeat(32),
    });
    expect(configuredDestinationOf(config, "env:staging:signed")).toMatchObject({
      kind: "webhook",
      secret: "o".repeat(32),
    });
    expect(configuredDestinationOf(config, "env:quiet:team")).toBeUndefined();
    expect(configuredDestinationOf(config, "env:staging:gone")).toBeUndefined();
    expect(configuredDestinationOf(config, "env:staging")).toBeUndefined();
  });

  it("come with the environment's rule overrides", () => {
    expect(ruleOverridesOf(staging)).toEqual(environments[0]!.alerts!.rules);
    expect(ruleOverridesOf(quiet)).toEqual([]);
    expect(ruleOverridesOf(undefined)).toEqual([]);
  });

  it("need a key every replica shares for a webhook on a shared store", () => {
    expect(() =>
      loadConfig({
        ...local,
        FANOUT_DATABASE_URL: "postgres://fanout@127.0.0.1:5432/fanout",
        FANOUT_ENVIRONMENTS: JSON.stringify(environments),
      }),
    ).toThrow("FANOUT_ENVIRONMENTS[0].alerts.destinations[2].secret");
  });
});

describe("the console's base URL for links", () => {
  it("is NEXTAUTH_URL without its trailing slash, else the local port", () => {
    expect(consoleBaseUrl(loadConfig({ ...local, NEXTAUTH_URL: "https://fanout.example.com/" }))).toBe(
      "https://fanout.example.com",
    );
    expect(consoleBaseUrl(loadConfig({ ...local, PORT: "3100" }))).toBe("http://localhost:3100");
  });
});
