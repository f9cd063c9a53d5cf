"use client";
import { useId, useState } from "react";
import { sampleMessages, type SampleMessage } from "@/lib/domain/filter-policy/samples";
import type { MessageAttribute } from "@/lib/domain/filter-policy/types";
import { useDeleteSampleMessage, useSampleMessages, useSaveSampleMessage } from "@/lib/queries/sample-messages";

/**
 * Picks a message to test with: the built-in order events or one saved by the team, and saves
 * the message being edited under a name. Saving and deleting need the operator role.
 */
export function SamplePicker({ onPick, current }: { onPick: (sample: SampleMessage) => void; current: () => { body: string; attributes?: Record<string, MessageAttribute> } }) {
  const id = useId();
  const saved = useSampleMessages();
  const save = useSaveSampleMessage();
  const remove = useDeleteSampleMessage();
  const [selected, setSelected] = useState(`builtin:${sampleMessages[0]!.name}`);
  const [naming, setNaming] = useState<string>();
  const [currentError, setCurrentError] = useState<string>();

  const pick = (value: string) => {
    setSelected(value);
    const [kind, key] = [value.slice(0, value.indexOf(":")), value.slice(value.indexOf(":") + 1)];
    const sample = kind === "builtin" ? sampleMessages.find((s) => s.name === key) : saved.data?.find((s) => String(s.id) === key);
    if (sample) onPick({ name: sample.name, body: sample.body, attributes: sample.attributes });
  };
  const selectedSaved = selected.startsWith("saved:") ? saved.data?.find((s) => `saved:${s.id}` === selected) : undefined;

  return (
    <div className="sample-picker">
      <div className="field-row">
        <label htmlFor={`${id}-sample`}>Sample</label>
        <select id={`${id}-sample`} value={selected} onChange={(e) => pick(e.target.value)}>
          <optgroup label="Order events">
            {sampleMessages.map((s) => (
              <option key={s.name} value={`builtin:${s.name}`}>
                {s.name}
              </option>
            ))}
          </optgroup>
          {saved.data?.length ? (
            <optgroup label="Saved by the team">
              {saved.data.map((s) => (
                <option key={s.id} value={`saved:${s.id}`}>
                  {s.name}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
        {selectedSaved ? (
          <button type="button" className="link-button" onClick={() => remove.mutate(selectedSaved.id, { onSuccess: () => setSelected(`builtin:${sampleMessages[0]!.name}`) })}>
            delete “{selectedSaved.name}”
          </button>
        ) : null}
        {naming === undefined ? (
          <button type="button" className="link-button" onClick={() => setNaming("")}>
            save this message…
          </button>
        ) : null}
      </div>
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
            save.mutate({ name: naming, body: message.body, attributes: message.attributes ?? {} }, { onSuccess: ({ sample }) => (setNaming(undefined), setSelected(`saved:${sample.id}`)) });
          }}
        >
          <label htmlFor={`${id}-name`}>Sample name</label>
          <input id={`${id}-name`} value={naming} onChange={(e) => setNaming(e.target.value)} required maxLength={100} />
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
