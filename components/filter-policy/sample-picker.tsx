"use client";
import { useId, useState } from "react";
import { sampleMessages, type SampleMessage } from "@/lib/domain/filter-policy/samples";
import type { MessageAttribute } from "@/lib/domain/filter-policy/types";
import {
  useDeleteSampleMessage,
  usePipelineSamples,
  useSampleMessages,
  useSaveSampleMessage,
} from "@/lib/queries/sample-messages";

/** One group of the picker's choices, left out while it has none. */
function SampleGroup({ label, options }: { label: string; options: { value: string; name: string }[] | undefined }) {
  if (!options?.length) return null;
  return (
    <optgroup label={label}>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.name}
        </option>
      ))}
    </optgroup>
  );
}

/**
 * Picks a message to test with: the built-in order events, one saved by the team, or, for a
 * subscription, one of its dead letters or a recent event from the pipeline (loaded on request);
 * and saves the message being edited under a name. Saving and deleting need the operator role.
 */
export function SamplePicker({
  onPick,
  current,
  subscriptionArn,
}: {
  onPick: (sample: SampleMessage) => void;
  current: () => { body: string; attributes?: Record<string, MessageAttribute> };
  subscriptionArn?: string;
}) {
  const id = useId();
  const saved = useSampleMessages();
  const deadLetters = usePipelineSamples(subscriptionArn, "dead-letters");
  const recent = usePipelineSamples(subscriptionArn, "recent");
  const save = useSaveSampleMessage();
  const remove = useDeleteSampleMessage();
  const [selected, setSelected] = useState(`builtin:${sampleMessages[0]!.name}`);
  const [naming, setNaming] = useState<string>();
  const [currentError, setCurrentError] = useState<string>();

  const pick = (value: string) => {
    setSelected(value);
    const [kind, key] = [value.slice(0, value.indexOf(":")), value.slice(value.indexOf(":") + 1)];
    const sample =
      kind === "builtin"
        ? sampleMessages.find((s) => s.name === key)
        : kind === "dlq"
          ? deadLetters.data?.samples[Number(key)]
          : kind === "recent"
            ? recent.data?.samples[Number(key)]
            : saved.data?.find((s) => String(s.id) === key);
    if (sample) onPick({ name: sample.name, body: sample.body, attributes: sample.attributes });
  };
  const selectedSaved = selected.startsWith("saved:")
    ? saved.data?.find((s) => `saved:${s.id}` === selected)
    : undefined;

  return (
    <div className="sample-picker">
      <div className="field-row">
        <label htmlFor={`${id}-sample`}>Sample</label>
        <select id={`${id}-sample`} value={selected} onChange={(e) => pick(e.target.value)}>
          <SampleGroup
            label="Order events"
            options={sampleMessages.map((s) => ({ value: `builtin:${s.name}`, name: s.name }))}
          />
          <SampleGroup
            label="Saved by the team"
            options={saved.data?.map((s) => ({ value: `saved:${s.id}`, name: s.name }))}
          />
          <SampleGroup
            label="Dead letters of this subscription"
            options={deadLetters.data?.samples.map((s, i) => ({ value: `dlq:${i}`, name: s.name }))}
          />
          <SampleGroup
            label="Recent events on the topic"
            options={recent.data?.samples.map((s, i) => ({ value: `recent:${i}`, name: s.name }))}
          />
        </select>
        {selectedSaved ? (
          <button
            type="button"
            className="link-button"
            onClick={() =>
              remove.mutate(selectedSaved.id, { onSuccess: () => setSelected(`builtin:${sampleMessages[0]!.name}`) })
            }
          >
            delete “{selectedSaved.name}”
          </button>
        ) : null}
        {naming === undefined ? (
          <button type="button" className="link-button" onClick={() => setNaming("")}>
            save this message…
          </button>
        ) : null}
      </div>
      {subscriptionArn ? (
        <div className="field-row">
          <span className="muted">From the pipeline:</span>
          <button
            type="button"
            className="link-button"
            disabled={deadLetters.isFetching}
            onClick={() => void deadLetters.refetch()}
          >
            {deadLetters.isFetching
              ? "loading dead letters…"
              : deadLetters.data
                ? "reload dead letters"
                : "load dead letters"}
          </button>
          <button
            type="button"
            className="link-button"
            disabled={recent.isFetching}
            onClick={() => void recent.refetch()}
          >
            {recent.isFetching ? "loading recent events…" : recent.data ? "reload recent events" : "load recent events"}
          </button>
        </div>
      ) : null}
      {[...(deadLetters.data?.notes ?? []), ...(recent.data?.notes ?? [])].map((note) => (
        <p key={note} className="muted" role="status">
          {note}
        </p>
      ))}
      {deadLetters.data?.samples.length || recent.data?.samples.length ? (
        <p className="muted" role="status">
          Loaded {deadLetters.data?.samples.length ?? 0} dead letter(s) and {recent.data?.samples.length ?? 0} recent
          event(s): choose one under Sample. Masked fields stay masked.
        </p>
      ) : null}
      {deadLetters.isError ? <p className="form-error">{deadLetters.error.message}</p> : null}
      {recent.isError ? <p className="form-error">{recent.error.message}</p> : null}
      {naming !== undefined ? (
        <form
          className="field-row"
          onSubmit={(e) => {
            e.preventDefault();
            let message;
            try {
              message = current();
            } catch (err) {
              setCurrentError(`The message cannot be saved: ${err instanceof Error ? err.message : String(err)}`);
              return;
            }
            setCurrentError(undefined);
            save.mutate(
              { name: naming, body: message.body, attributes: message.attributes ?? {} },
              { onSuccess: ({ sample }) => (setNaming(undefined), setSelected(`saved:${sample.id}`)) },
            );
          }}
        >
          <label htmlFor={`${id}-name`}>Sample name</label>
          <input
            id={`${id}-name`}
            value={naming}
            onChange={(e) => setNaming(e.target.value)}
            required
            maxLength={100}
          />
          <button type="submit" className="button" disabled={!naming.trim() || save.isPending}>
            Save sample
          </button>
          <button type="button" className="link-button" onClick={() => (setNaming(undefined), save.reset())}>
            cancel
          </button>
        </form>
      ) : null}
      {currentError ? <p className="form-error">{currentError}</p> : null}
      {save.isError ? <p className="form-error">{save.error.message}</p> : null}
      {remove.isError ? <p className="form-error">{remove.error.message}</p> : null}
    </div>
  );
}
