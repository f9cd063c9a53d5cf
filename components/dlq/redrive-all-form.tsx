"use client";
import { useState } from "react";
import type { ReplayRequest } from "@/lib/queries/dead-letter-messages";

interface RedriveAllFormProps {
  fifo: boolean;
  sources: string[];
  /** The endpoint has SQS's StartMessageMoveTask (probed), so a plain full redrive uses it. */
  moveTaskSupported: boolean | undefined;
  busy: boolean;
  error?: string;
  onSubmit(request: ReplayRequest): void;
  onClose(): void;
}

/** Redrive every dead letter, or those matching a filter policy, at a chosen rate, to a chosen queue. */
export function RedriveAllForm({ fifo, sources, moveTaskSupported, busy, error, onSubmit, onClose }: RedriveAllFormProps) {
  const [target, setTarget] = useState(sources.length === 1 ? sources[0]! : "");
  const [otherTarget, setOtherTarget] = useState("");
  const [useFilter, setUseFilter] = useState(false);
  const [policy, setPolicy] = useState('{\n  "eventType": ["order.placed"]\n}');
  const [scope, setScope] = useState<"MessageAttributes" | "MessageBody">("MessageAttributes");
  const [rate, setRate] = useState("");
  const chosenTarget = target === "__other" ? otherTarget.trim() : target;
  const plain = !useFilter && sources.includes(chosenTarget);
  const engine = plain && moveTaskSupported ? "SQS's own message move task (it can be cancelled, not paused)" : "Fanout's engine (pausable; it survives a console restart)";
  return (
    <form
      className="confirm"
      aria-labelledby="redrive-all-heading"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({
          all: true,
          ...(chosenTarget ? { target: chosenTarget } : {}),
          ...(useFilter ? { filter: { policy, scope } } : {}),
          ...(rate ? { ratePerSecond: Number(rate) } : {}),
          clientKey: crypto.randomUUID(),
        });
      }}
    >
      <h3 id="redrive-all-heading">Redrive all dead letters</h3>
      <div className="field-row">
        <label htmlFor="redrive-target">To</label>
        <select id="redrive-target" value={target} onChange={(e) => setTarget(e.target.value)} required>
          {sources.length !== 1 ? <option value="">Choose a queue…</option> : null}
          {sources.map((s) => (
            <option key={s} value={s}>
              {s} (source)
            </option>
          ))}
          <option value="__other">Another {fifo ? "FIFO" : "standard"} queue…</option>
        </select>
        {target === "__other" ? <input aria-label="Queue name" className="text-input" value={otherTarget} onChange={(e) => setOtherTarget(e.target.value)} placeholder="queue name" required /> : null}
      </div>
      <div className="field-row">
        <label>
          <input type="checkbox" checked={useFilter} onChange={(e) => setUseFilter(e.target.checked)} /> Only those matching a filter policy
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
          <label className="field">
            Filter policy (SNS syntax; the same engine as the filter-policy editor)
            <textarea className="text-area mono" rows={5} value={policy} onChange={(e) => setPolicy(e.target.value)} spellCheck={false} />
          </label>
        </div>
      ) : null}
      <div className="field-row">
        <label htmlFor="redrive-rate">Rate</label>
        <input id="redrive-rate" className="text-input numeric-input" type="number" min={1} max={3000} step={1} value={rate} onChange={(e) => setRate(e.target.value)} placeholder="as fast as possible" />
        <span className="muted">messages per second; starts at a tenth and ramps up over 30 s</span>
      </div>
      <ul className="muted notes">
        <li>Moved by: {moveTaskSupported === undefined ? "checking the endpoint…" : engine}.</li>
        <li>Each copy is sent first; its dead letter is deleted only after SQS confirms it. Nothing is lost.</li>
        {fifo ? <li>FIFO: each message keeps its group and its order within the group, and lands behind whatever the group received since it was dead-lettered.</li> : null}
        {useFilter && fifo ? <li>With a filter, a group stops at its first message that does not match, so the group&apos;s order is kept.</li> : null}
      </ul>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="row-actions">
        <button type="submit" className="button button-primary" disabled={busy || !chosenTarget}>
          Start the redrive
        </button>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
