import { z } from "zod";
import { isRecord } from "../is-record";
import {
  destinationUrlProblem,
  PAGERDUTY_EVENTS_URL,
  type DestinationKind,
  type DestinationPolicy,
} from "./destination-url";

/**
 * A destination as an admin configures one, in an environment's `alerts.destinations` or on the
 * alerts page: a name, a kind and where it goes, secrets included. The shape is checked here; the
 * URL against the allow-list (destinationSettingProblems), as it depends on the console's policy.
 */

export type DestinationSetting =
  | { name: string; kind: "webhook"; url: string; secret?: string }
  | { name: string; kind: "slack"; url: string }
  | { name: string; kind: "pagerduty"; routingKey: string; url: string };

export const DESTINATION_KINDS = ["webhook", "slack", "pagerduty"] as const satisfies readonly DestinationKind[];

// In ids (`env:<environment>:<name>`) and on the page: short, and without a colon.
const DESTINATION_NAME = /^[A-Za-z0-9][\w.-]{0,63}$/;
/** As FANOUT_ALERTS_WEBHOOK_SECRET: a signing key short enough to guess signs nothing. */
export const MIN_WEBHOOK_SECRET_LENGTH = 32;
const MAX_SECRET_LENGTH = 1024;
const MAX_URL_LENGTH = 2048;

const required = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? "is required" : `must be ${what}`;

const name = z
  .string({ error: required("a name") })
  .regex(DESTINATION_NAME, "must be 1 to 64 letters, digits or ._- starting with a letter or digit, e.g. on-call");
const url = z
  .string({ error: required("a URL") })
  .min(1, "is required")
  .max(MAX_URL_LENGTH, "is too long");

export const destinationSettingSchema = z.discriminatedUnion(
  "kind",
  [
    z
      .object({
        name,
        kind: z.literal("webhook"),
        url,
        secret: z
          .string({ error: required("a string") })
          .min(MIN_WEBHOOK_SECRET_LENGTH, `must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`)
          .max(MAX_SECRET_LENGTH, `must be at most ${MAX_SECRET_LENGTH} characters`)
          .optional(),
      })
      .strict(),
    z.object({ name, kind: z.literal("slack"), url }).strict(),
    z
      .object({
        name,
        kind: z.literal("pagerduty"),
        // PagerDuty's integration keys are 32 characters; the bound only keeps the value sane.
        routingKey: z
          .string({ error: required("a string") })
          .min(1, "is required")
          .max(MAX_SECRET_LENGTH, "is too long"),
        url: url.default(PAGERDUTY_EVENTS_URL),
      })
      .strict(),
  ],
  {
    error: (issue) => {
      if (!isRecord(issue.input))
        return 'must be a destination such as {"name": "on-call", "kind": "slack", "url": "https://hooks.slack.com/…"}';
      return issue.input.kind === undefined ? "is required" : `must be one of ${DESTINATION_KINDS.join(", ")}`;
    },
  },
);

/** A destination as the alerts page lists it: where it goes without its secrets, and where it is configured. */
export interface DestinationListing {
  /** As the outbox names it: `webhook`, `env:<environment>:<name>`, `db:<id>`. */
  id: string;
  name: string;
  kind: DestinationKind;
  /** A URL's scheme and host (destinationWhere). */
  where: string;
  /** FANOUT_ALERTS_WEBHOOK, the environments file, or an admin on the alerts page. */
  source: "quick-start" | "environments-file" | "console";
  createdBy?: string;
  createdAt?: number;
  /** The newest notification to it that failed and waits for its next try, or was given up. */
  lastFailure?: { error: string; at?: number };
}

/** A list of them, at most a few: each notification is put in the outbox once per destination. */
export const destinationSettingsSchema = z
  .array(destinationSettingSchema, { error: "must be a list of destinations" })
  .max(20, "must list at most 20 destinations");

/** A problem of one field of a list of destinations, its path from the list. */
export interface DestinationSettingProblem {
  path: (string | number)[];
  problem: string;
}

/**
 * What the shape does not say of raw destinations: each URL against the policy, and names unique
 * in the list. On the raw entries, so that they are reported beside the shape's problems.
 */
export function destinationSettingProblems(raw: unknown, policy: DestinationPolicy): DestinationSettingProblem[] {
  if (!Array.isArray(raw)) return [];
  const problems: DestinationSettingProblem[] = [];
  const seen = new Set<string>();
  raw.forEach((entry: unknown, index) => {
    if (!isRecord(entry)) return;
    if (typeof entry.name === "string") {
      if (seen.has(entry.name)) problems.push({ path: [index, "name"], problem: `"${entry.name}" is used twice` });
      seen.add(entry.name);
    }
    if (typeof entry.url === "string" && entry.url.length > 0) {
      const problem = destinationUrlProblem(entry.url, policy);
      if (problem) problems.push({ path: [index, "url"], problem });
    }
  });
  return problems;
}

/** Where a destination goes, for the page: its URL without path or query (a Slack URL's path is its secret). */
export function destinationWhere(setting: Pick<DestinationSetting, "url">): string {
  try {
    const parsed = new URL(setting.url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return "(not a URL)";
  }
}
