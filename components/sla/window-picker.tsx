"use client";
import { useState } from "react";
import { parseWindow, SLA_WINDOW_PRESETS } from "@/lib/domain/sla";
import { slaWindowFor } from "@/lib/domain/time-window";
import { Tabs } from "../ui/tabs";
import { useSharedWindow } from "../ui/use-shared-window";

/** The SLA pages' window: the shared one, as any whole number of hours or days up to 30 days. */
export const useSlaWindow = () => useSharedWindow(slaWindowFor);

/** Any whole number of hours or days up to 30 days. */
function CustomWindow({ current, onChoose }: { current?: string; onChoose(w: string): void }) {
  const [amount, setAmount] = useState(current ? current.slice(0, -1) : "12");
  const [unit, setUnit] = useState(current ? current.slice(-1) : "h");
  const candidate = `${amount}${unit}`;
  const valid = parseWindow(candidate) !== undefined;
  return (
    <form
      className="field-row"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onChoose(candidate);
      }}
    >
      <label htmlFor="custom-window">Custom</label>
      <input
        id="custom-window"
        className="text-input numeric-input"
        type="number"
        min={1}
        max={720}
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        aria-invalid={!valid}
      />
      <select aria-label="Unit" value={unit} onChange={(e) => setUnit(e.target.value)}>
        <option value="h">hours</option>
        <option value="d">days</option>
      </select>
      <button type="submit" className={current ? "button button-primary" : "button"} disabled={!valid}>
        Show
      </button>
      {!valid ? <span className="form-error">1 hour to 30 days</span> : null}
    </form>
  );
}

/** The presets as tabs, a custom window beside them, and why the window is not the one chosen elsewhere. */
export function WindowPicker({ window, note, onChoose }: { window: string; note?: string; onChoose(w: string): void }) {
  return (
    <div className="field-row">
      <Tabs
        label="Time range"
        tabs={SLA_WINDOW_PRESETS.map((w) => ({ value: w, label: w }))}
        selected={window}
        onSelect={onChoose}
      />
      <CustomWindow {...(SLA_WINDOW_PRESETS.includes(window) ? {} : { current: window })} onChoose={onChoose} />
      {note ? <span className="muted">{note}</span> : null}
    </div>
  );
}
