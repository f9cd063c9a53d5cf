import { z } from "zod";
import { ARN_PATTERN, arnMatches } from "../bindings";
import type { AlertKey } from "./alert-state";
import { ALERT_RULES, type AlertRuleId } from "./rules";

/**
 * Silences: an operator's "I know, stop telling me" on a rule, a resource pattern or both, in one
 * environment and region, until it expires. A silence suppresses notifications, never the alert's
 * state: the alerts page still shows what fires, and what it would have said.
 */

export interface Silence {
  id: string;
  environment: string;
  region: string;
  /** Absent: every rule. */
  rule?: AlertRuleId;
  /** An ARN pattern (`*` any run of characters); absent: every resource. Never both absent. */
  resource?: string;
  reason: string;
  createdBy: string;
  /** Epoch ms. */
  createdAt: number;
  expiresAt: number;
  /** Set when an operator ended it before it expired. */
  endedAt?: number;
  endedBy?: string;
}

/** Whether the silence holds at `now` (started, not expired, not ended). */
export const silenceActive = (silence: Silence, now: number): boolean =>
  silence.createdAt <= now && now < silence.expiresAt && (silence.endedAt === undefined || now < silence.endedAt);

/** Whether an active silence covers the alert: same environment and region, its rule and resource if it names them. */
export function silenceCovers(silence: Silence, alert: AlertKey, now: number): boolean {
  return (
    silenceActive(silence, now) &&
    silence.environment === alert.environment &&
    silence.region === alert.region &&
    (silence.rule === undefined || silence.rule === alert.rule) &&
    (silence.resource === undefined || arnMatches(silence.resource, alert.resource))
  );
}

/** The silence that holds the alert, if any: the one that lasts longest, so the page can say until when. */
export function silenceOf(silences: readonly Silence[], alert: AlertKey, now: number): Silence | undefined {
  return silences
    .filter((silence) => silenceCovers(silence, alert, now))
    .reduce<Silence | undefined>(
      (longest, s) => (longest && longest.expiresAt >= s.expiresAt ? longest : s),
      undefined,
    );
}

/** A silence lasts at most 30 days: longer is a rule to turn off, not a silence. */
export const MAX_SILENCE_MINUTES = 30 * 24 * 60;

/** What an operator asks for (the API and the page): the silence's scope comes from where it is asked. */
export const silenceRequestSchema = z
  .object({
    rule: z.enum(ALERT_RULES, { error: `must be one of ${ALERT_RULES.join(", ")}` }).optional(),
    resource: z
      .string({ error: "must be an ARN pattern" })
      .max(2048, "must be at most 2048 characters")
      .regex(ARN_PATTERN, "must be an ARN pattern such as arn:aws:sqs:*:*:payments-*")
      .optional(),
    reason: z
      .string({ error: "is required" })
      .trim()
      .min(1, "must say why, for whoever is on call next")
      .max(500, "must be at most 500 characters"),
    minutes: z
      .number({ error: "must be a number of minutes" })
      .int("must be a whole number of minutes")
      .min(1, "must be at least 1 minute")
      .max(MAX_SILENCE_MINUTES, `must be at most ${MAX_SILENCE_MINUTES} minutes (30 days)`),
  })
  .strict()
  .refine((request) => request.rule !== undefined || request.resource !== undefined, {
    message: "must name a rule, a resource pattern or both: a silence of everything is turning alerts off",
    path: ["rule"],
  });

export type SilenceRequest = z.output<typeof silenceRequestSchema>;

/** The silence a request makes, from `now` for its minutes. */
export function silenceFrom(
  request: SilenceRequest,
  made: { id: string; environment: string; region: string; createdBy: string; now: number },
): Silence {
  return {
    id: made.id,
    environment: made.environment,
    region: made.region,
    ...(request.rule !== undefined ? { rule: request.rule } : {}),
    ...(request.resource !== undefined ? { resource: request.resource } : {}),
    reason: request.reason,
    createdBy: made.createdBy,
    createdAt: made.now,
    expiresAt: made.now + request.minutes * 60_000,
  };
}
