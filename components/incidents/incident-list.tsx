"use client";
import { ScopedLink } from "@/components/ui/scoped-link";
import { useId, type ReactNode } from "react";
import { formatDuration } from "@/lib/domain/dead-letters";
import { plural } from "@/lib/domain/format";
import { SOURCE_LABELS, type Incident, type IncidentKind, type IncidentSeverity } from "@/lib/domain/incidents";
import { useIncidents } from "@/lib/queries/incidents";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { HiddenByBindings } from "../ui/hidden-by-bindings";
import { Skeleton } from "../ui/skeleton";
import { Term } from "../ui/term";

const SEVERITY_LABELS: Record<IncidentSeverity, string> = {
  critical: "Critical",
  warning: "Warning",
  notice: "Notice",
};

const KIND_LABELS: Record<IncidentKind, ReactNode> = {
  burn: <Term term="burn-rate">Burn rate</Term>,
  alarm: "Alarm",
  "dead-letters": "Dead letters",
  "paused-consumer": "Paused consumer",
  finding: <Term term="finding">Finding</Term>,
};

function Since({ since }: { since: string }) {
  const ago = Math.max(0, (Date.now() - Date.parse(since)) / 1000);
  return (
    <time dateTime={since} title={new Date(since).toLocaleString()}>
      since {formatDuration(ago)} ago
    </time>
  );
}

function IncidentItem({ incident, titleLevel }: { incident: Incident; titleLevel: 2 | 3 }) {
  // Each action link is described by the incident's title: "Show on the topology" alone says not of what.
  const titleId = useId();
  const Title = titleLevel === 3 ? "h3" : "h2";
  return (
    <li className={`incident incident-${incident.severity}`}>
      <div className="incident-head">
        <span className={`incident-badge incident-badge-${incident.severity}`}>
          {SEVERITY_LABELS[incident.severity]}
        </span>
        <span className="incident-kind">{KIND_LABELS[incident.kind]}</span>
        {incident.since ? (
          <span className="muted">
            <Since since={incident.since} />
          </span>
        ) : null}
      </div>
      <Title className="incident-title" id={titleId}>
        {incident.title}
      </Title>
      <p className="incident-detail">{incident.detail}</p>
      <ul className="incident-links">
        {[incident.link, ...incident.related].map((link, i) => (
          <li key={link.href}>
            <ScopedLink
              href={link.href}
              aria-describedby={titleId}
              className={i === 0 ? "incident-link-main" : undefined}
            >
              {link.label}
            </ScopedLink>
          </li>
        ))}
      </ul>
    </li>
  );
}

/**
 * What is broken now, most severe first (the order lib/domain/incidents.ts gives), refreshed every 15
 * seconds. "Nothing is broken" is said only when every source answered and the caller's bindings
 * hid nothing; otherwise the page names what it could not read, and how many incidents it may not
 * show. `titleLevel` 3 when the list sits under a heading of its own.
 */
export function IncidentList({ titleLevel = 2 }: { titleLevel?: 2 | 3 }) {
  const query = useIncidents();
  if (query.isPending) return <Skeleton rows={4} label="Looking for what is broken" />;
  if (!query.data) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const { incidents, failed, hidden, collectedAt } = query.data;
  const checked = new Date(collectedAt).toLocaleTimeString();
  return (
    <div className="stack">
      {query.isError ? (
        <p className="state state-warn" role="status">
          The last refresh failed ({query.error.message}); this is the list from {checked}.
        </p>
      ) : null}
      {failed.length ? (
        <div className="state state-warn" role="status">
          <p className="state-title">Not everything could be read, so incidents may be missing from this list:</p>
          <ul>
            {failed.map((f) => (
              <li key={f.source}>
                {SOURCE_LABELS[f.source]} could not be read: {f.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <HiddenByBindings hidden={hidden} one="incident" />
      {incidents.length === 0 ? (
        failed.length || hidden ? (
          <EmptyState
            title={failed.length ? "No incidents in what could be read." : "No incidents in what you may view."}
          />
        ) : (
          <EmptyState title="Nothing is broken right now">
            <p>
              No error budget burning, no alarm firing, no dead letters, no paused consumer and no finding. Checked at{" "}
              {checked}.
            </p>
          </EmptyState>
        )
      ) : (
        <>
          <p className="muted" role="status">
            {plural(incidents.length, "incident")}, most severe first · checked at {checked}
          </p>
          <ol className="incidents" aria-label="Incidents, most severe first">
            {incidents.map((incident) => (
              <IncidentItem key={incident.id} incident={incident} titleLevel={titleLevel} />
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
