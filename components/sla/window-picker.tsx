"use client";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { parseWindow, SLA_WINDOW_PRESETS } from "@/lib/domain/sla";
import { Tabs } from "../ui/tabs";
import { useSearchParamsSetter } from "../ui/use-search-params-setter";

/** The time window in the URL (`?window=`), any whole number of hours or days up to 30 days. */
export function useWindowParam(fallback: string): [string, (w: string) => void] {
  const params = useSearchParams();
  const setParams = useSearchParamsSetter();
  const asked = params.get("window") ?? "";
  const window = parseWindow(asked) !== undefined ? asked : fallback;
  const setWindow = (w: string) => setParams({ window: w });
  return [window, setWindow];
}

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

/** The presets as tabs, and a custom window beside them. */
export function WindowPicker({ window, onChoose }: { window: string; onChoose(w: string): void }) {
  return (
    <div className="field-row">
      <Tabs
        label="Time range"
        tabs={SLA_WINDOW_PRESETS.map((w) => ({ value: w, label: w }))}
        selected={window}
        onSelect={onChoose}
      />
      <CustomWindow {...(SLA_WINDOW_PRESETS.includes(window) ? {} : { current: window })} onChoose={onChoose} />
    </div>
  );
}
