"use client";
import { useMemo } from "react";
import type { ImpactEvent, ImpactGroup, PolicyImpact, TopicImpact } from "@/lib/domain/filter-policy/impact";
import type { FilterPolicyScope } from "@/lib/domain/filter-policy/types";
import { useFilterPolicyImpact, type FilterPolicyImpact } from "@/lib/queries/filter-policies";
import { ErrorState } from "../ui/error-state";
import { Skeleton } from "../ui/skeleton";
import { useSettledValue } from "../ui/use-settled-value";

/** How long the form must rest before the impact is asked for again. */
const SETTLE_MS = 400;

/**
 * What saving the draft would change, over real traffic: the tap's recent events and the
 * subscription's dead letters, evaluated by the server under the current and the draft policy.
 * Updates as the form changes; message content is rendered as text, never as HTML.
 */
export function ImpactPanel({
  arn,
  policyText,
  scope,
  policyValid,
}: {
  arn: string;
  policyText: string;
  scope: FilterPolicyScope;
  policyValid: boolean;
}) {
  // One object per draft, so that settling waits for the form to rest, not for any render.
  const current = useMemo(() => (policyValid ? { policyText, scope } : undefined), [policyValid, policyText, scope]);
  const settled = useSettledValue(current, SETTLE_MS);
  const impact = useFilterPolicyImpact(arn, settled);
  const updating = impact.isFetching || settled !== current;
  return (
    <section className="panel impact-panel" aria-labelledby="impact-heading" aria-busy={updating}>
      <header className="panel-header">
        <h2 id="impact-heading">Impact on recent traffic</h2>
        {updating && impact.data ? (
          <span className="muted" role="status">
            Updating…
          </span>
        ) : null}
      </header>
      {!policyValid ? (
        <p className="muted">Fix the policy first: the impact is worked out for a policy AWS would accept.</p>
      ) : impact.isError ? (
        <ErrorState error={impact.error} onRetry={() => void impact.refetch()} />
      ) : !impact.data ? (
        <Skeleton rows={4} label="Working out the impact" />
      ) : (
        <ImpactView result={impact.data} />
      )}
    </section>
  );
}

function ImpactView({ result }: { result: FilterPolicyImpact }) {
  const { recentEvents, deadLetters } = result;
  return (
    <>
      <h3>Recent events of the topic</h3>
      <Notes notes={recentEvents.notes} />
      {recentEvents.impact ? (
        <>
          <Counts impact={recentEvents.impact} what="recent event" />
          <Group title="Newly dropped" group={recentEvents.impact.newlyDropped} testId="impact-newly-dropped" />
          <Group title="Newly delivered" group={recentEvents.impact.newlyDelivered} testId="impact-newly-delivered" />
          <NoSubscriber topic={recentEvents.impact.topic} />
        </>
      ) : null}
      <h3>Dead letters of this subscription</h3>
      <Notes notes={deadLetters.notes} />
      {deadLetters.impact ? (
        deadLetters.read === 0 ? (
          <p className="muted">No dead letters to judge the change on.</p>
        ) : (
          <>
            <Counts impact={deadLetters.impact} what="dead letter" />
            <Group title="Newly dropped" group={deadLetters.impact.newlyDropped} />
            <Group title="Newly delivered" group={deadLetters.impact.newlyDelivered} />
          </>
        )
      ) : null}
    </>
  );
}

/** The events nobody receives after the change; a warning when there are any. */
function NoSubscriber({ topic }: { topic: TopicImpact }) {
  const { count } = topic.reachNoSubscriber;
  return (
    <div className={count ? "state state-warn" : "state state-info"}>
      <p className="state-title" data-testid="impact-no-subscriber">
        {count === 0
          ? `After this change every one of these events reaches a subscriber (${plural(topic.otherSubscriptions, "other subscription")} counted).`
          : `After this change, ${count === 1 ? "this event reaches" : `these ${count} events reach`} no subscriber` +
            ` (${topic.newlyReachNoSubscriber.count} of them because of this change).`}
      </p>
      <Examples events={topic.reachNoSubscriber.examples} />
    </div>
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function Notes({ notes }: { notes: string[] }) {
  if (notes.length === 0) return null;
  return (
    <ul className="muted">
      {notes.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  );
}

function Counts({ impact, what }: { impact: PolicyImpact; what: string }) {
  return (
    <dl className="facts">
      <dt>Read</dt>
      <dd>{plural(impact.events, what)}</dd>
      <dt>Delivered</dt>
      <dd data-testid={what === "recent event" ? "impact-delivered" : undefined}>
        {impact.deliveredBefore} now → {impact.deliveredAfter} after the change
      </dd>
    </dl>
  );
}

function Group({ title, group, testId }: { title: string; group: ImpactGroup; testId?: string }) {
  return (
    <details open={group.count > 0 && group.count <= 3}>
      <summary data-testid={testId}>
        {title}: {group.count}
      </summary>
      {group.count === 0 ? <p className="muted">None.</p> : <Examples events={group.examples} />}
      {group.count > group.examples.length ? (
        <p className="muted">
          The first {group.examples.length} of {group.count} shown.
        </p>
      ) : null}
    </details>
  );
}

function attributesText(attributes: ImpactEvent["attributes"]): string {
  return Object.entries(attributes)
    .map(([name, a]) => `${name} (${a.Type}) = ${a.Value}`)
    .join("\n");
}

/** Message content as text: React escapes it, nothing is parsed as HTML. */
function Examples({ events }: { events: ImpactEvent[] }) {
  if (events.length === 0) return null;
  return (
    <ul className="impact-examples">
      {events.map((e) => (
        <li key={e.id}>
          <span className="mono small">{e.id}</span>
          <pre className="code small" tabIndex={0} aria-label={`Event ${e.id}`}>
            {e.body}
            {Object.keys(e.attributes).length ? `\n\n${attributesText(e.attributes)}` : ""}
          </pre>
        </li>
      ))}
    </ul>
  );
}
