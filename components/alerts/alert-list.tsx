"use client";
import { RULE_LABELS, type AlertView } from "@/lib/domain/alerts/alerts-view";
import { formatDuration } from "@/lib/domain/dead-letters";
import { plural } from "@/lib/domain/format";
import { AlertLink } from "./alert-link";

const time = (ms: number) => new Date(ms).toLocaleString();
const ago = (ms: number) => `${formatDuration(Math.max(0, (Date.now() - ms) / 1000))} ago`;

/** Notifications that did not arrive: the on-call may not have heard of this alert. */
function DeliveryFailures({ failures }: { failures: NonNullable<AlertView["deliveryFailures"]> }) {
  return (
    <ul className="alert-delivery-failures" role="list">
      {failures.map((f) => (
        <li key={f.destination} className="form-error">
          Not delivered to {f.destination} after {plural(f.attempts, "try", "tries")}: {f.error}
          {f.givenUpAt !== undefined
            ? ` (given up ${ago(f.givenUpAt)})`
            : f.nextAttemptAt !== undefined
              ? ` (next try ${time(f.nextAttemptAt)})`
              : ""}
        </li>
      ))}
    </ul>
  );
}

/**
 * Alerts, each with its rule, resource and summary (text as stored: from AWS and the evaluator),
 * the page that explains it, and whether a silence holds it or a notification failed.
 */
export function AlertList({
  alerts,
  label,
  onSilence,
}: {
  alerts: AlertView[];
  label: string;
  /** Offered on firing alerts to operators: silence this one. */
  onSilence?: (alert: AlertView) => void;
}) {
  return (
    <ul className="alert-list" aria-label={label}>
      {alerts.map((alert) => (
        <li key={alert.id} className="alert-item" data-testid={`alert-${alert.rule}`}>
          <div className="alert-head">
            <strong>{RULE_LABELS[alert.rule]}</strong>{" "}
            <span className="muted">
              {alert.resolvedAt !== undefined
                ? `resolved ${ago(alert.resolvedAt)}, fired ${time(alert.since)}`
                : `since ${ago(alert.since)}`}
            </span>
          </div>
          <p>
            <AlertLink link={alert.link}>{alert.summary}</AlertLink>
          </p>
          <p className="muted">
            <code>{alert.resource}</code>
          </p>
          {alert.silencedBy ? (
            <p className="muted">Silenced until {time(alert.silencedBy.until)}: it is not notified.</p>
          ) : null}
          {alert.deliveryFailures ? <DeliveryFailures failures={alert.deliveryFailures} /> : null}
          {onSilence && !alert.silencedBy ? (
            <div className="row-actions">
              <button type="button" className="button" onClick={() => onSilence(alert)}>
                Silence…<span className="visually-hidden"> {alert.summary}</span>
              </button>
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
