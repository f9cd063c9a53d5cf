import { describe, expect, it } from "vitest";
import { FAST_BURN_THRESHOLD, SLOW_BURN_THRESHOLD } from "../sla/budget";
import {
  ALERT_RULES,
  burnRateCondition,
  consumerPausedTooLong,
  DEFAULT_RULE_SETTINGS,
  deadLettersExpiring,
  parseAlertRuleOverrides,
  redriveJobStuck,
  ruleSettingsFor,
} from "./rules";

const payments = "arn:aws:sqs:eu-west-1:111111111111:payments-dlq";
const orders = "arn:aws:sqs:eu-west-1:111111111111:orders-dlq";

describe("the built-in rules", () => {
  it("are the issue's eight, on by default except the optional alarm rule", () => {
    expect(ALERT_RULES).toEqual([
      "dead-letters-arrived",
      "dead-letters-expiring",
      "burn-rate-page",
      "burn-rate-ticket",
      "consumer-paused",
      "redrive-job-failed",
      "redrive-job-stuck",
      "alarm-state-changed",
    ]);
    expect(ALERT_RULES.filter((rule) => !DEFAULT_RULE_SETTINGS[rule].enabled)).toEqual(["alarm-state-changed"]);
    expect(DEFAULT_RULE_SETTINGS["dead-letters-expiring"].expiresWithinMinutes).toBe(120);
  });
});

describe("overrides per resource pattern", () => {
  it("apply in order, field by field, to the resources their patterns match", () => {
    const parsed = parseAlertRuleOverrides([
      { rule: "dead-letters-expiring", expiresWithinMinutes: 60 },
      { rule: "dead-letters-expiring", resources: ["arn:aws:sqs:*:*:payments-*"], expiresWithinMinutes: 720 },
      { rule: "dead-letters-arrived", resources: ["arn:aws:sqs:*:*:payments-*"], renotifyEveryMinutes: 30 },
      { rule: "consumer-paused", resources: [orders], enabled: false },
    ]);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const { overrides } = parsed;
    expect(ruleSettingsFor(overrides, "dead-letters-expiring", [orders])).toMatchObject({ expiresWithinMinutes: 60 });
    expect(ruleSettingsFor(overrides, "dead-letters-expiring", [payments])).toEqual({
      enabled: true,
      renotifyEveryMinutes: 240,
      expiresWithinMinutes: 720,
    });
    expect(ruleSettingsFor(overrides, "dead-letters-arrived", [payments]).renotifyEveryMinutes).toBe(30);
    expect(ruleSettingsFor(overrides, "dead-letters-arrived", [orders]).renotifyEveryMinutes).toBe(240);
    expect(ruleSettingsFor(overrides, "consumer-paused", [orders]).enabled).toBe(false);
    // A resource with several ARNs matches when any of them does.
    expect(ruleSettingsFor(overrides, "consumer-paused", ["arn:x", orders]).enabled).toBe(false);
    expect(ruleSettingsFor(overrides, "consumer-paused", [payments])).toEqual(DEFAULT_RULE_SETTINGS["consumer-paused"]);
  });

  it("never change the defaults they start from", () => {
    const parsed = parseAlertRuleOverrides([{ rule: "redrive-job-stuck", stuckForMinutes: 99 }]);
    if (!parsed.ok) throw new Error("refused");
    ruleSettingsFor(parsed.overrides, "redrive-job-stuck", [orders]);
    expect(DEFAULT_RULE_SETTINGS["redrive-job-stuck"].stuckForMinutes).toBe(10);
  });

  it.each([
    [[{ rule: "dead-letters-late" }], "alerts.rules[0].rule", "must be one of dead-letters-arrived"],
    [[{ expiresWithinMinutes: 5 }], "alerts.rules[0].rule", "is required"],
    [
      [{ rule: "dead-letters-expiring", expiresWithinMinutes: 0 }],
      "alerts.rules[0].expiresWithinMinutes",
      "at least 1",
    ],
    [
      [{ rule: "dead-letters-expiring", expiresWithinMinutes: 1.5 }],
      "alerts.rules[0].expiresWithinMinutes",
      "whole number",
    ],
    [[{ rule: "consumer-paused", pausedForMinutes: "10" }], "alerts.rules[0].pausedForMinutes", "number of minutes"],
    // A threshold of another rule is named, not ignored.
    [[{ rule: "dead-letters-arrived", pausedForMinutes: 10 }], "alerts.rules[0].pausedForMinutes", "not a setting"],
    [[{}, { rule: "burn-rate-page", resources: ["orders-dlq"] }], "alerts.rules[1].resources[0]", "ARN pattern"],
    [[{ rule: "burn-rate-page", resources: [] }], "alerts.rules[0].resources", "at least one"],
    [[{ rule: "burn-rate-ticket", renotifyEveryMinutes: 1 }], "alerts.rules[0].renotifyEveryMinutes", "at least 5"],
    [[{ rule: "burn-rate-ticket", enabled: "no" }], "alerts.rules[0].enabled", "true or false"],
    [{ rule: "burn-rate-ticket" }, "alerts.rules", "must be a list"],
    [["burn-rate-ticket"], "alerts.rules[0]", "must be an override such as"],
  ])("refuse %j, naming %s", (raw, field, problem) => {
    const parsed = parseAlertRuleOverrides(raw);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues).toContainEqual({ field, problem: expect.stringContaining(problem) });
  });

  it("are named under the prefix they are read from", () => {
    const parsed = parseAlertRuleOverrides([{ rule: "nope" }], "FANOUT_ENVIRONMENTS[2].alerts.rules");
    expect(parsed).toMatchObject({ ok: false, issues: [{ field: "FANOUT_ENVIRONMENTS[2].alerts.rules[0].rule" }] });
  });
});

describe("the burn-rate rules", () => {
  const above = (threshold: number) => threshold + 0.1;

  it("page on either page tier of the SLA page, with its label", () => {
    const fast = { "1h": above(FAST_BURN_THRESHOLD), "5m": above(FAST_BURN_THRESHOLD) };
    expect(burnRateCondition("burn-rate-page", fast)).toEqual({
      firing: true,
      labels: [expect.stringContaining("page: burning over 14.4× for 1h and 5m")],
    });
    const slow = { "6h": above(SLOW_BURN_THRESHOLD), "30m": above(SLOW_BURN_THRESHOLD) };
    expect(burnRateCondition("burn-rate-page", slow).firing).toBe(true);
    expect(burnRateCondition("burn-rate-ticket", { ...fast, ...slow }).firing).toBe(false);
  });

  it("need both windows of a tier above its threshold, as the SLA page does", () => {
    expect(burnRateCondition("burn-rate-page", { "1h": 20, "5m": 2 }).firing).toBe(false);
    expect(burnRateCondition("burn-rate-ticket", { "3d": 1.5, "6h": 1.2 })).toEqual({
      firing: true,
      labels: [expect.stringContaining("ticket")],
    });
    expect(burnRateCondition("burn-rate-ticket", { "3d": 1.5, "6h": null }).firing).toBe(false);
  });
});

describe("the threshold rules", () => {
  it("fire at their thresholds, never on what is unknown", () => {
    const expiring = DEFAULT_RULE_SETTINGS["dead-letters-expiring"];
    expect(deadLettersExpiring(120 * 60, expiring)).toBe(true);
    expect(deadLettersExpiring(120 * 60 + 1, expiring)).toBe(false);
    expect(deadLettersExpiring(undefined, expiring)).toBe(false);
    const paused = DEFAULT_RULE_SETTINGS["consumer-paused"];
    expect(consumerPausedTooLong(0, 15 * 60_000, paused)).toBe(true);
    expect(consumerPausedTooLong(1, 15 * 60_000, paused)).toBe(false);
    expect(consumerPausedTooLong(undefined, 15 * 60_000, paused)).toBe(false);
    const stuck = DEFAULT_RULE_SETTINGS["redrive-job-stuck"];
    expect(redriveJobStuck(0, 10 * 60_000, stuck)).toBe(true);
    expect(redriveJobStuck(1, 10 * 60_000, stuck)).toBe(false);
  });
});
