"use client";
import { arnName } from "@/lib/domain/subscription";
import { ScopedLink } from "@/components/ui/scoped-link";
import { useState } from "react";
import { sampleMessages, type SampleMessage } from "@/lib/domain/filter-policy/samples";
import type { MessageAttribute } from "@/lib/domain/filter-policy/types";
import { useRouteMessage } from "@/lib/queries/filter-policies";
import { ErrorState } from "../ui/error-state";
import { TextAreaField } from "../ui/text-area-field";
import { ExplanationView } from "./explanation-view";
import { SamplePicker } from "./sample-picker";

/** Parses the attributes box: `{"name": {"Type": "String", "Value": "x"}}`. */
function parseAttributes(text: string): { attributes?: Record<string, MessageAttribute>; error?: string } {
  if (!text.trim()) return { attributes: {} };
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== "object" || Array.isArray(value))
      return {
        error: 'Message attributes: expected an object like {"eventType": {"Type": "String", "Value": "order.placed"}}',
      };
    return { attributes: value as Record<string, MessageAttribute> };
  } catch (err) {
    return { error: `Message attributes: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** "Who gets this event?": one message, every subscription of the topic, and why each does or does not receive it. */
export function RouteView({ topicArn }: { topicArn: string }) {
  const first = sampleMessages[0]!;
  const [body, setBody] = useState(first.body);
  const [attributesText, setAttributesText] = useState(JSON.stringify(first.attributes, null, 2));
  const route = useRouteMessage(topicArn);
  const parsed = parseAttributes(attributesText);

  const pickSample = (sample: SampleMessage) => {
    setBody(sample.body);
    setAttributesText(JSON.stringify(sample.attributes, null, 2));
    route.reset();
  };

  return (
    <div className="route-view">
      <form
        className="panel stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (parsed.attributes) route.mutate({ body, attributes: parsed.attributes });
        }}
      >
        <SamplePicker
          onPick={pickSample}
          current={() => ({ body, attributes: JSON.parse(attributesText) as Record<string, MessageAttribute> })}
        />
        <div className="two-columns">
          <TextAreaField label="Message body" rows={12} value={body} onChange={setBody} className="code" />
          <TextAreaField
            label="Message attributes"
            rows={12}
            value={attributesText}
            onChange={setAttributesText}
            className="code"
            invalid={Boolean(parsed.error)}
          >
            {parsed.error ? <span className="form-error">{parsed.error}</span> : null}
          </TextAreaField>
        </div>
        <div>
          <button type="submit" className="button button-primary" disabled={route.isPending || Boolean(parsed.error)}>
            {route.isPending ? "Checking…" : "Who gets this event?"}
          </button>
        </div>
      </form>
      {route.isError ? <ErrorState error={route.error} /> : null}
      {route.data ? (
        route.data.results.length === 0 ? (
          <p className="state state-empty">This topic has no subscriptions: nobody gets the event.</p>
        ) : (
          <section className="route-results" aria-label="Routing result">
            <p className="lede">
              {route.data.results.filter((r) => r.receives).length} of {route.data.results.length} subscriptions receive
              this event.
            </p>
            {route.data.results.map((r) => (
              <article
                key={r.subscription.arn}
                className={r.receives ? "route-card route-receives" : "route-card route-skips"}
              >
                <header>
                  <strong>{r.receives ? "✓ receives" : "✗ does not receive"}</strong> ·{" "}
                  {arnName(r.subscription.endpoint) || r.subscription.endpoint}{" "}
                  <span className="muted">
                    ({r.subscription.protocol}, {r.subscription.filterPolicyScope})
                  </span>{" "}
                  {r.subscription.arn.startsWith("arn:") ? (
                    <ScopedLink href={`/filter-policies/${encodeURIComponent(r.subscription.arn)}`}>
                      edit policy
                    </ScopedLink>
                  ) : null}
                </header>
                <p className="muted">{r.reason}</p>
                {r.evaluation ? <ExplanationView evaluation={r.evaluation} verdict={false} /> : null}
              </article>
            ))}
          </section>
        )
      ) : null}
    </div>
  );
}
