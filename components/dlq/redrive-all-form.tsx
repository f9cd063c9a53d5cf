"use client";
import { useState, type ReactNode } from "react";
import type { FilterPolicyScope } from "@/lib/domain/filter-policy";
import { FANOUT_ENGINE_MAX_RATE, MOVE_TASK_RATE } from "@/lib/domain/replay";
import type { ReplayRequest } from "@/lib/queries/dead-letter-messages";
import { FormError, InlineForm } from "../ui/inline-form";
import { TextAreaField } from "../ui/text-area-field";

/** The select's value for "each letter to its own source" (no target in the request). */
const EACH_TO_OWN_SOURCE = "__own";

interface RedriveAllFormProps {
  fifo: boolean;
  sources: string[];
  /** An admin may send to a queue that is not one of the DLQ's sources, after confirming. */
  canChooseOtherQueue: boolean;
  /** The endpoint has SQS's StartMessageMoveTask (probed), so a plain full redrive uses it. */
  moveTaskSupported: boolean | undefined;
  busy: boolean;
  error?: string;
  /** Whether the letters would only fail again (ReplayWarningNote): shown above the form's fields. */
  warning?: ReactNode;
  onSubmit(request: ReplayRequest): void;
  onClose(): void;
}

/** Redrive every dead letter, or those matching a filter policy, at a chosen rate, to a chosen queue. */
export function RedriveAllForm({
  fifo,
  sources,
  canChooseOtherQueue,
  moveTaskSupported,
  busy,
  error,
  warning,
  onSubmit,
  onClose,
}: RedriveAllFormProps) {
  // Several sources: by default each letter goes back to the source queue it names, as SQS's own redrive does without a destination.
  const [target, setTarget] = useState(
    sources.length === 1 ? sources[0]! : sources.length > 1 ? EACH_TO_OWN_SOURCE : "",
  );
  const [otherTarget, setOtherTarget] = useState("");
  const [otherConfirmed, setOtherConfirmed] = useState(false);
  const [useFilter, setUseFilter] = useState(false);
  const [policy, setPolicy] = useState('{\n  "eventType": ["order.placed"]\n}');
  const [scope, setScope] = useState<FilterPolicyScope>("MessageAttributes");
  const [rate, setRate] = useState("");
  const eachToOwnSource = target === EACH_TO_OWN_SOURCE;
  const chosenTarget = target === "__other" ? otherTarget.trim() : eachToOwnSource ? "" : target;
  const other = target === "__other";
  const plain = !useFilter && (eachToOwnSource || sources.includes(chosenTarget));
  const moveTask = plain && moveTaskSupported === true;
  const engine = moveTask
    ? "SQS's own message move task (it can be cancelled, not paused)"
    : "Fanout's engine (pausable; it survives a console restart)";
  // The limit of the engine that will run: SQS's for a move task (StartMessageMoveTask), Fanout's own otherwise.
  const rateLimits = moveTask
    ? { min: MOVE_TASK_RATE.min, max: MOVE_TASK_RATE.max, step: 1 }
    : { min: 0.1, max: FANOUT_ENGINE_MAX_RATE, step: "any" as const };
  return (
    <InlineForm
      headingId="redrive-all-heading"
      title="Redrive all dead letters"
      submitLabel="Start the redrive"
      submitDisabled={busy || (!chosenTarget && !eachToOwnSource) || (other && !otherConfirmed)}
      onSubmit={() =>
        onSubmit({
          all: true,
          ...(other
            ? { target: { queue: chosenTarget, override: true } }
            : chosenTarget
              ? { target: chosenTarget }
              : {}),
          ...(useFilter ? { filter: { policy, scope } } : {}),
          ...(rate ? { ratePerSecond: Number(rate) } : {}),
          clientKey: crypto.randomUUID(),
        })
      }
      onCancel={onClose}
    >
      {warning}
      <div className="field-row">
        <label htmlFor="redrive-target">To</label>
        <select id="redrive-target" value={target} onChange={(e) => setTarget(e.target.value)} required>
          {sources.length === 0 ? <option value="">Choose a queue…</option> : null}
          {sources.length > 1 ? <option value={EACH_TO_OWN_SOURCE}>Each to its own source</option> : null}
          {sources.map((s) => (
            <option key={s} value={s}>
              {s} (source)
            </option>
          ))}
          {canChooseOtherQueue ? (
            <option value="__other">Another {fifo ? "FIFO" : "standard"} queue (admin)…</option>
          ) : null}
        </select>
        {other ? (
          <input
            aria-label="Queue name"
            className="text-input"
            value={otherTarget}
            onChange={(e) => setOtherTarget(e.target.value)}
            placeholder="queue name"
            required
          />
        ) : null}
      </div>
      {other ? (
        <div className="field-row">
          <label>
            <input
              type="checkbox"
              checked={otherConfirmed}
              onChange={(e) => setOtherConfirmed(e.target.checked)}
              required
            />{" "}
            Send these dead letters to a queue that is not a source of this DLQ
          </label>
        </div>
      ) : null}
      <div className="field-row">
        <label>
          <input type="checkbox" checked={useFilter} onChange={(e) => setUseFilter(e.target.checked)} /> Only those
          matching a filter policy
        </label>
      </div>
      {useFilter ? (
        <div className="stack">
          <div className="field-row">
            <label htmlFor="redrive-scope">Scope</label>
            <select id="redrive-scope" value={scope} onChange={(e) => setScope(e.target.value as typeof scope)}>
              <option value="MessageAttributes">Message attributes</option>
              <option value="MessageBody">Message body</option>
            </select>
          </div>
          <TextAreaField
            label="Filter policy (SNS syntax; the same engine as the filter-policy editor)"
            rows={5}
            value={policy}
            onChange={setPolicy}
          />
        </div>
      ) : null}
      <div className="field-row">
        <label htmlFor="redrive-rate">Rate</label>
        <input
          id="redrive-rate"
          className="text-input numeric-input"
          type="number"
          min={rateLimits.min}
          max={rateLimits.max}
          step={rateLimits.step}
          value={rate}
          onChange={(e) => setRate(e.target.value)}
          placeholder={moveTask ? "SQS chooses" : "as fast as possible"}
        />
        <span className="muted">
          {moveTask
            ? `messages per second: a whole number from ${MOVE_TASK_RATE.min} to ${MOVE_TASK_RATE.max}, SQS's limit for a message move task`
            : `messages per second, up to ${FANOUT_ENGINE_MAX_RATE} (Fanout's engine's own limit); starts at a tenth and ramps up over 30 s`}
        </span>
      </div>
      <ul className="muted notes">
        <li>Moved by: {moveTaskSupported === undefined ? "checking the endpoint…" : engine}.</li>
        <li>Each copy is sent first; its dead letter is deleted only after SQS confirms it. Nothing is lost.</li>
        {moveTask ? null : (
          <li>
            Each copy carries a <code>fanout-original-message-id</code> attribute, unless the message already has 10
            attributes or the attribute would take it over the target queue&apos;s maximum message size.
          </li>
        )}
        {fifo ? (
          <li>
            FIFO: each message keeps its group and its order within the group, and lands behind whatever the group
            received since it was dead-lettered.
          </li>
        ) : null}
        {eachToOwnSource ? (
          <li>
            Each dead letter goes back to the source queue SQS recorded on it (DeadLetterQueueSourceArn); one that names
            none stays in the DLQ, counted as failed.
          </li>
        ) : null}
        {useFilter ? (
          <li>
            The job looks at every dead letter before it ends; those that do not match are released back to the DLQ.
          </li>
        ) : null}
        {useFilter && fifo ? (
          <li>
            FIFO: SQS returns a group&apos;s later messages only after its earlier ones are deleted, so matches behind
            10 or more non-matching letters at the head of their group cannot be reached; the job then ends
            &ldquo;incomplete&rdquo; and names those groups.
          </li>
        ) : null}
      </ul>
      <FormError error={error} />
    </InlineForm>
  );
}
