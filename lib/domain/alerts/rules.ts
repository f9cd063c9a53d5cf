import { z } from "zod";
import { ARN_PATTERN, arnMatches } from "../bindings";
import { isRecord } from "../is-record";
import { burnAlerts, firingAlerts, type BurnWindow } from "../sla/budget";

/**
 * The built-in alert rules, on by default for every DLQ and pipeline, their default thresholds, and
 * the overrides an environment declares per rule and resource pattern. Pure: the evaluator gathers
 * what AWS says, these decide.
 */

export const ALERT_RULES = [
  "dead-letters-arrived",
  "dead-letters-expiring",
  "burn-rate-page",
  "burn-rate-ticket",
  "consumer-paused",
  "redrive-job-failed",
  "redrive-job-stuck",
  "alarm-state-changed",
] as const;
export type AlertRuleId = (typeof ALERT_RULES)[number];

/** What every rule has: whether it runs, and how often a firing alert is told again while nothing changes. */
interface CommonSettings {
  enabled: boolean;
  renotifyEveryMinutes: number;
}

/** Each rule's settings: the common ones and its own thresholds. */
export interface AlertRuleSettings {
  "dead-letters-arrived": CommonSettings;
  "dead-letters-expiring": CommonSettings & { expiresWithinMinutes: number };
  "burn-rate-page": CommonSettings;
  "burn-rate-ticket": CommonSettings;
  "consumer-paused": CommonSettings & { pausedForMinutes: number };
  "redrive-job-failed": CommonSettings;
  "redrive-job-stuck": CommonSettings & { stuckForMinutes: number };
  "alarm-state-changed": CommonSettings;
}

/** Four hours between reminders: Prometheus Alertmanager's default repeat interval. */
const RENOTIFY_EVERY_MINUTES = 240;

/**
 * The defaults. The burn-rate rules have no threshold of their own: they fire on the SLA page's
 * multiwindow tiers (lib/domain/sla/budget.ts). Alarm state changes are off unless asked for:
 * CloudWatch already notifies through its own actions, this is only for one place to look.
 */
export const DEFAULT_RULE_SETTINGS: { readonly [R in AlertRuleId]: Readonly<AlertRuleSettings[R]> } = {
  "dead-letters-arrived": { enabled: true, renotifyEveryMinutes: RENOTIFY_EVERY_MINUTES },
  "dead-letters-expiring": { enabled: true, renotifyEveryMinutes: RENOTIFY_EVERY_MINUTES, expiresWithinMinutes: 120 },
  "burn-rate-page": { enabled: true, renotifyEveryMinutes: RENOTIFY_EVERY_MINUTES },
  "burn-rate-ticket": { enabled: true, renotifyEveryMinutes: 24 * 60 },
  "consumer-paused": { enabled: true, renotifyEveryMinutes: RENOTIFY_EVERY_MINUTES, pausedForMinutes: 15 },
  "redrive-job-failed": { enabled: true, renotifyEveryMinutes: RENOTIFY_EVERY_MINUTES },
  "redrive-job-stuck": { enabled: true, renotifyEveryMinutes: RENOTIFY_EVERY_MINUTES, stuckForMinutes: 10 },
  "alarm-state-changed": { enabled: false, renotifyEveryMinutes: RENOTIFY_EVERY_MINUTES },
};

const MAX_MINUTES = 30 * 24 * 60;
const minutes = (least: number) =>
  z
    .number({ error: "must be a number of minutes" })
    .int("must be a whole number of minutes")
    .min(least, `must be at least ${least} minute${least === 1 ? "" : "s"}`)
    .max(MAX_MINUTES, `must be at most ${MAX_MINUTES} minutes (30 days)`);

// The ARN patterns of role bindings (lib/domain/bindings.ts): `*` is any run of characters.
const resourcePatterns = z
  .array(
    z
      .string({ error: "must be an ARN pattern" })
      .max(2048)
      .regex(ARN_PATTERN, "must be an ARN pattern such as arn:aws:sqs:*:*:payments-*"),
    { error: "must be a list of ARN patterns" },
  )
  .min(1, "must list at least one ARN pattern, or be left out for every resource")
  .max(50, "must list at most 50 patterns");

const override = <R extends AlertRuleId, S extends z.ZodRawShape>(rule: R, thresholds: S) =>
  z
    .object({
      rule: z.literal(rule),
      resources: resourcePatterns.optional(),
      enabled: z.boolean({ error: "must be true or false" }).optional(),
      renotifyEveryMinutes: minutes(5).optional(),
      ...thresholds,
    })
    .strict();

/**
 * One override: a rule, optionally the resources it applies to (ARN patterns), and the settings it
 * changes. Strict, so a threshold given to the wrong rule is named rather than ignored.
 */
export const alertRuleOverrideSchema = z.discriminatedUnion(
  "rule",
  [
    override("dead-letters-arrived", {}),
    override("dead-letters-expiring", { expiresWithinMinutes: minutes(1).optional() }),
    override("burn-rate-page", {}),
    override("burn-rate-ticket", {}),
    override("consumer-paused", { pausedForMinutes: minutes(1).optional() }),
    override("redrive-job-failed", {}),
    override("redrive-job-stuck", { stuckForMinutes: minutes(1).optional() }),
    override("alarm-state-changed", {}),
  ],
  {
    error: (issue) => {
      if (!isRecord(issue.input))
        return 'must be an override such as {"rule": "dead-letters-expiring", "expiresWithinMinutes": 60}';
      return issue.input.rule === undefined ? "is required" : `must be one of ${ALERT_RULES.join(", ")}`;
    },
  },
);

export type AlertRuleOverride = z.output<typeof alertRuleOverrideSchema>;

/** An environment's overrides, in order: where several match a resource, the later one wins field by field. */
export const alertRuleOverridesSchema = z.array(alertRuleOverrideSchema, { error: "must be a list of rule overrides" });

export interface AlertSettingIssue {
  /** The field, e.g. `alerts.rules[1].expiresWithinMinutes`. */
  field: string;
  problem: string;
}

export type ParseAlertRulesResult =
  { ok: true; overrides: AlertRuleOverride[] } | { ok: false; issues: AlertSettingIssue[] };

function fieldAt(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (field, key) => (typeof key === "number" ? `${field}[${key}]` : `${field}.${String(key)}`),
    prefix,
  );
}

/** An environment's rule overrides as configured; every bad value is reported, each naming its field. */
export function parseAlertRuleOverrides(raw: unknown, prefix = "alerts.rules"): ParseAlertRulesResult {
  const parsed = alertRuleOverridesSchema.safeParse(raw);
  if (parsed.success) return { ok: true, overrides: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.flatMap((issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => ({
            field: fieldAt(prefix, [...issue.path, key]),
            problem: "is not a setting of this rule",
          }))
        : [{ field: fieldAt(prefix, issue.path), problem: issue.message }],
    ),
  };
}

/** A rule's settings for one resource (any of its ARNs): the defaults, then each matching override in order. */
export function ruleSettingsFor<R extends AlertRuleId>(
  overrides: readonly AlertRuleOverride[],
  rule: R,
  resourceArns: readonly string[],
): AlertRuleSettings[R] {
  let settings: AlertRuleSettings[R] = { ...DEFAULT_RULE_SETTINGS[rule] } as AlertRuleSettings[R];
  for (const entry of overrides) {
    if (entry.rule !== rule) continue;
    if (entry.resources && !entry.resources.some((p) => resourceArns.some((arn) => arnMatches(p, arn)))) continue;
    const { rule: _rule, resources: _resources, ...changes } = entry;
    const given = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    settings = { ...settings, ...given };
  }
  return settings;
}

/** The page rule covers the workbook's two page tiers, the ticket rule its ticket tier. */
export type BurnRateRule = "burn-rate-page" | "burn-rate-ticket";

/**
 * Whether a burn-rate rule fires for one objective's rates, by the SLA page's own tiers (burnAlerts),
 * and the firing tiers' labels, most urgent first, for the summary.
 */
export function burnRateCondition(
  rule: BurnRateRule,
  rates: Partial<Record<BurnWindow, number | null>>,
): { firing: boolean; labels: string[] } {
  const severity = rule === "burn-rate-page" ? "page" : "ticket";
  const firing = firingAlerts(burnAlerts(rates)).filter((alert) => alert.severity === severity);
  return { firing: firing.length > 0, labels: firing.map((alert) => alert.label) };
}

/**
 * The oldest dead letter expires within the rule's time: from what the DLQ list already computes,
 * its retention less the oldest letter's age (lib/domain/dead-letters.ts). Unknown never fires.
 */
export const deadLettersExpiring = (
  oldestExpiresInSeconds: number | undefined,
  settings: AlertRuleSettings["dead-letters-expiring"],
): boolean => oldestExpiresInSeconds !== undefined && oldestExpiresInSeconds <= settings.expiresWithinMinutes * 60;

/** A consumer paused (its event source mapping disabled) for at least the rule's time. */
export const consumerPausedTooLong = (
  pausedSinceMs: number | undefined,
  now: number,
  settings: AlertRuleSettings["consumer-paused"],
): boolean => pausedSinceMs !== undefined && now - pausedSinceMs >= settings.pausedForMinutes * 60_000;

/** A running redrive job whose runner has not shown progress (its heartbeat) for at least the rule's time. */
export const redriveJobStuck = (
  lastProgressMs: number,
  now: number,
  settings: AlertRuleSettings["redrive-job-stuck"],
): boolean => now - lastProgressMs >= settings.stuckForMinutes * 60_000;
