"use client";
import { useState } from "react";
import { sampleMessages } from "@/lib/domain/filter-policy/samples";
import type { FilterMessage, FilterPolicyScope, MessageAttribute } from "@/lib/domain/filter-policy/types";
import { useTestFilterPolicy } from "@/lib/queries/filter-policies";
import { ErrorState } from "../ui/error-state";
import { TextAreaField } from "../ui/text-area-field";
import { ExplanationView } from "./explanation-view";
import { SamplePicker } from "./sample-picker";

/**
 * Tests the policy being edited against one message before anything is saved. In MessageBody
 * scope the message is its body; in MessageAttributes scope its attributes. The subscription's
 * own queue is deliberately not offered as a source: each receive counts toward maxReceiveCount;
 * its dead letters and the tap queue's recent events are.
 */
export function TestPanel({
  policyText,
  scope,
  policyValid,
  subscriptionArn,
}: {
  policyText: string;
  scope: FilterPolicyScope;
  policyValid: boolean;
  subscriptionArn?: string;
}) {
  const first = sampleMessages[0]!;
  const [body, setBody] = useState(first.body);
  const [attributes, setAttributes] = useState(JSON.stringify(first.attributes, null, 2));
  const test = useTestFilterPolicy();
  const input = scope === "MessageBody" ? body : attributes;
  const setInput = scope === "MessageBody" ? setBody : setAttributes;

  const run = () => {
    let message: FilterMessage;
    if (scope === "MessageBody") message = { body };
    else {
      try {
        message = {
          attributes: JSON.parse(attributes) as Extract<FilterMessage, { attributes: unknown }>["attributes"],
        };
      } catch (err) {
        test.reset();
        setParseError(`Message attributes are not JSON: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
    }
    setParseError(undefined);
    test.mutate({ policy: JSON.parse(policyText) as unknown, scope, messages: [message] });
  };
  const [parseError, setParseError] = useState<string>();

  return (
    <section className="panel" aria-labelledby="test-heading">
      <h2 id="test-heading">Test a message</h2>
      <SamplePicker
        onPick={(sample) => {
          setBody(sample.body);
          setAttributes(JSON.stringify(sample.attributes, null, 2));
          test.reset();
        }}
        current={() => ({ body, attributes: JSON.parse(attributes) as Record<string, MessageAttribute> })}
        {...(subscriptionArn ? { subscriptionArn } : {})}
      />
      <TextAreaField
        label={scope === "MessageBody" ? "Message body" : 'Message attributes ({"name": {"Type", "Value"}})'}
        rows={10}
        value={input}
        onChange={setInput}
        className="code"
      />
      <button type="button" className="button button-primary" onClick={run} disabled={!policyValid || test.isPending}>
        {test.isPending ? "Testing…" : "Test against this policy"}
      </button>
      {!policyValid ? <p className="muted">Fix the policy first.</p> : null}
      {parseError ? <p className="form-error">{parseError}</p> : null}
      {test.isError ? <ErrorState error={test.error} /> : null}
      {test.data?.results[0] ? <ExplanationView evaluation={test.data.results[0]} /> : null}
    </section>
  );
}
