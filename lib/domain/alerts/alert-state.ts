import type { AlertRuleId } from "./rules";

/**
 * One alert's life, as pure transitions: an evaluation (what a rule says about one resource now)
 * against the stored state gives the next state and, when there is something to tell, the
 * notification. Firing is told when it starts, again whenever an evaluation brings news (new dead
 * letters), again at the rule's interval while nothing changes, and once more when it resolves.
 * The clock is passed in; nothing here reads it.
 */

/** What one alert is about: a rule on one resource (an ARN) in one environment and region. */
export interface AlertKey {
  environment: string;
  region: string;
  rule: AlertRuleId;
  resource: string;
}

/** The key destinations deduplicate by (PagerDuty's dedup_key): one per rule and resource, across firings. */
export const dedupKeyOf = (key: AlertKey): string => `${key.environment}/${key.region}/${key.rule}/${key.resource}`;

/**
 * What arrived since the previous evaluation, for the rules where more of the same is news (dead
 * letters): how many, the newest one's id, and the first error of its failed invocation when traces have it.
 */
export interface AlertNews {
  count: number;
  newestId?: string;
  firstError?: string;
  /** The console's page of the newest one's trace, when it carries a trace header. */
  traceLink?: string;
}

export interface AlertEvaluation extends AlertKey {
  firing: boolean;
  /** One line on what is wrong now, e.g. "orders-dlq holds 12 dead letters". */
  summary: string;
  /** The console page that explains it (the DLQ, the dashboard, the trace). */
  link: string;
  news?: AlertNews;
}

export type AlertStatus = "firing" | "resolved";

export interface AlertState extends AlertKey {
  status: AlertStatus;
  /** When the current (or last) firing began; epoch ms. */
  since: number;
  resolvedAt?: number;
  summary: string;
  link: string;
  evaluatedAt: number;
  /** The last notification made for this firing (sent or suppressed by a silence: only those made count). */
  notifiedAt?: number;
  notifiedStatus?: AlertStatus;
  /** News not told yet: it accumulates while silenced, and is told with the next notification. */
  untold?: AlertNews;
  /** Raised by each write, so that a stale evaluator's write is refused (lib/store/alerts.ts). */
  version: number;
}

/**
 * Why a notification is made: the alert started firing (or was never told: it started under a
 * silence), there is news, the reminder interval passed, or it resolved.
 */
export type NotificationReason = "firing" | "news" | "reminder" | "resolved";

export interface AlertNotification extends AlertKey {
  status: AlertStatus;
  reason: NotificationReason;
  dedupKey: string;
  summary: string;
  link: string;
  since: number;
  news?: AlertNews;
}

export interface AlertPolicy {
  now: number;
  /** The rule's reminder interval for this resource. */
  renotifyEveryMs: number;
  /** A silence covers the alert now: notifications are suppressed, the state is kept as ever. */
  silenced: boolean;
}

export interface AlertStep {
  /** The state to store; undefined when there is none (never fired) and nothing fires. */
  state: AlertState | undefined;
  /** False when the stored state stays as it is (resolved and still fine): nothing to write. */
  changed: boolean;
  notification?: AlertNotification;
  /** A notification was due, but a silence held it back. */
  suppressed?: NotificationReason;
}

/** News added up: counts summed, the latest newest id, the first error and trace of the latest news that has one. */
export function addNews(earlier: AlertNews | undefined, later: AlertNews | undefined): AlertNews | undefined {
  if (!later || later.count <= 0) return earlier;
  if (!earlier) return { ...later };
  const newestId = later.newestId ?? earlier.newestId;
  const firstError = later.firstError ?? earlier.firstError;
  const traceLink = later.traceLink ?? earlier.traceLink;
  return {
    count: earlier.count + later.count,
    ...(newestId !== undefined ? { newestId } : {}),
    ...(firstError !== undefined ? { firstError } : {}),
    ...(traceLink !== undefined ? { traceLink } : {}),
  };
}

/** The news as a sentence to append to a summary: "3 new since the last notification, newest m-9: Timeout". */
export function describeNews(news: AlertNews, told: boolean): string {
  const since = told ? " since the last notification" : "";
  const newest = news.newestId !== undefined ? `, newest ${news.newestId}` : "";
  const error = news.firstError !== undefined ? `: ${news.firstError}` : "";
  return `${news.count} new${since}${newest}${error}`;
}

/** The next state of one alert, and what to tell, from its stored state and a new evaluation. */
export function advanceAlert(
  stored: AlertState | undefined,
  evaluation: AlertEvaluation,
  policy: AlertPolicy,
): AlertStep {
  const { now } = policy;
  const key: AlertKey = {
    environment: evaluation.environment,
    region: evaluation.region,
    rule: evaluation.rule,
    resource: evaluation.resource,
  };
  const wasFiring = stored?.status === "firing";

  if (!evaluation.firing) {
    if (!stored || !wasFiring) return { state: stored, changed: false };
    const resolved: AlertState = {
      ...key,
      status: "resolved",
      since: stored.since,
      resolvedAt: now,
      summary: evaluation.summary,
      link: evaluation.link,
      evaluatedAt: now,
      version: stored.version,
    };
    // Only destinations told it fires hear it resolved, silence or not: a page left open by a
    // silence would otherwise stay open in PagerDuty for good.
    if (stored.notifiedStatus !== "firing") return { state: resolved, changed: true };
    return {
      state: { ...resolved, notifiedAt: now, notifiedStatus: "resolved" },
      changed: true,
      notification: notificationOf(key, "resolved", "resolved", evaluation.summary, evaluation.link, stored.since),
    };
  }

  const since = wasFiring ? stored.since : now;
  const untold = addNews(wasFiring ? stored.untold : undefined, evaluation.news);
  const firing: AlertState = {
    ...key,
    status: "firing",
    since,
    summary: evaluation.summary,
    link: evaluation.link,
    evaluatedAt: now,
    ...(wasFiring && stored.notifiedAt !== undefined ? { notifiedAt: stored.notifiedAt } : {}),
    ...(wasFiring && stored.notifiedStatus !== undefined ? { notifiedStatus: stored.notifiedStatus } : {}),
    ...(untold ? { untold } : {}),
    version: stored?.version ?? 0,
  };
  const told = firing.notifiedStatus === "firing";
  const reason: NotificationReason | undefined = !told
    ? "firing"
    : untold
      ? "news"
      : now - firing.notifiedAt! >= policy.renotifyEveryMs
        ? "reminder"
        : undefined;
  if (!reason) return { state: firing, changed: true };
  if (policy.silenced) return { state: firing, changed: true, suppressed: reason };

  const summary = untold ? `${evaluation.summary} (${describeNews(untold, told)})` : evaluation.summary;
  const { untold: _told, ...afterTelling } = firing;
  return {
    state: { ...afterTelling, notifiedAt: now, notifiedStatus: "firing" },
    changed: true,
    notification: notificationOf(key, "firing", reason, summary, evaluation.link, since, untold),
  };
}

function notificationOf(
  key: AlertKey,
  status: AlertStatus,
  reason: NotificationReason,
  summary: string,
  link: string,
  since: number,
  news?: AlertNews,
): AlertNotification {
  return { ...key, status, reason, dedupKey: dedupKeyOf(key), summary, link, since, ...(news ? { news } : {}) };
}
