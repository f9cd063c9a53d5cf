"use client";
import { useEffect, useEffectEvent, useRef, useState, type KeyboardEvent } from "react";
import { AUDIT_ACTION_GROUPS, AUDIT_OUTCOMES, type AuditAction } from "@/lib/domain/audit";
import {
  AUDIT_TIME_PRESETS,
  hasAuditFilter,
  type AuditPageFilter,
  type AuditTimePreset,
} from "@/lib/domain/audit-filter";
import { isAccountId, type EnvironmentListing } from "@/lib/domain/environments";
import { localDateTimeInput, plural } from "@/lib/domain/format";

/** Typing pauses this long before a text filter reaches the address (and the API). */
const TYPING_PAUSE_MS = 300;

const outcomeLabels: Record<(typeof AUDIT_OUTCOMES)[number], string> = {
  success: "success",
  failure: "failure",
  pending: "pending (intent)",
};

/** The audit filters; every change goes to `onChange` whole, for the page to keep in its address. */
export function AuditFilterBar({
  filter,
  onChange,
  exportHref,
  environments,
}: {
  filter: AuditPageFilter;
  onChange: (next: AuditPageFilter) => void;
  exportHref: string;
  /** The configured environments to choose from (empty until known). */
  environments: readonly EnvironmentListing[];
}) {
  const set = (changes: Partial<AuditPageFilter>) => onChange({ ...filter, ...changes });
  return (
    <form className="audit-filters" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
      <ActionPicker selected={filter.actions} onChange={(actions) => set({ actions })} />
      <TypingField label="Actor contains" value={filter.actor ?? ""} onCommit={(v) => set({ actor: v || undefined })} />
      <TypingField
        label="Target contains"
        value={filter.target ?? ""}
        onCommit={(v) => set({ target: v || undefined })}
      />
      <WhereFields filter={filter} environments={environments} onChange={(where) => set(where)} />
      <TypingField
        label="Account"
        value={filter.account ?? ""}
        onCommit={(v) => set({ account: v || undefined })}
        isComplete={(v) => v === "" || isAccountId(v)}
        hint="12 digits"
      />
      <TimeRange filter={filter} onChange={(range) => set(range)} />
      <label className="field">
        Outcome
        <select
          value={filter.outcome ?? ""}
          onChange={(e) => set({ outcome: AUDIT_OUTCOMES.find((o) => o === e.target.value) })}
        >
          <option value="">any</option>
          {AUDIT_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {outcomeLabels[o]}
            </option>
          ))}
        </select>
      </label>
      <div className="audit-filter-actions">
        <button
          type="button"
          className="button"
          disabled={!hasAuditFilter(filter)}
          onClick={() => onChange({ actions: [] })}
        >
          Clear filters
        </button>
        <a className="button" href={exportHref} download>
          Export JSON Lines
        </a>
      </div>
    </form>
  );
}

/** Checkboxes of the known actions by group, behind a disclosure that says what is chosen. */
function ActionPicker({ selected, onChange }: { selected: AuditAction[]; onChange: (next: AuditAction[]) => void }) {
  const toggle = (action: AuditAction, on: boolean) =>
    onChange(on ? [...selected, action] : selected.filter((a) => a !== action));
  // Escape folds the list and leaves focus on its summary, as other panels of the console do.
  const closeOnEscape = (e: KeyboardEvent<HTMLDetailsElement>) => {
    if (e.key !== "Escape" || !e.currentTarget.open) return;
    e.currentTarget.open = false;
    e.currentTarget.querySelector("summary")?.focus();
  };
  const summary =
    selected.length === 0 ? "any" : selected.length === 1 ? selected[0] : plural(selected.length, "action");
  return (
    <div className="field">
      <span id="audit-action-label">Action</span>
      <details className="action-picker" onKeyDown={closeOnEscape}>
        <summary aria-labelledby="audit-action-label audit-action-summary">
          <span id="audit-action-summary">{summary}</span>
        </summary>
        <div className="action-picker-groups">
          {Object.entries(AUDIT_ACTION_GROUPS).map(([group, actions]) => (
            <fieldset key={group} className="plain-fieldset">
              <legend>{group}</legend>
              {actions.map((action) => (
                <label key={action} className="check mono">
                  <input
                    type="checkbox"
                    checked={selected.includes(action)}
                    onChange={(e) => toggle(action, e.target.checked)}
                  />
                  {action}
                </label>
              ))}
            </fieldset>
          ))}
        </div>
      </details>
    </div>
  );
}

/**
 * A text filter that reaches the address once typing pauses, and only once it is complete (an
 * account's 12 digits). It follows the address when that changes from elsewhere (back, forward,
 * "Clear filters"), but not to an older value of its own.
 */
function TypingField({
  label,
  value,
  onCommit,
  isComplete = () => true,
  hint,
}: {
  label: string;
  value: string;
  onCommit: (v: string) => void;
  isComplete?: (text: string) => boolean;
  hint?: string;
}) {
  const [draft, setDraft] = useState(value);
  const committed = useRef(value);
  useEffect(() => {
    if (value === committed.current) return;
    committed.current = value;
    setDraft(value);
  }, [value]);
  const commit = useEffectEvent((text: string) => {
    if (!isComplete(text)) return;
    committed.current = text;
    onCommit(text);
  });
  useEffect(() => {
    const text = draft.trim();
    if (text === committed.current) return;
    const timer = setTimeout(() => commit(text), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [draft]);
  return (
    <label className="field">
      {label}
      <input
        type="search"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        spellCheck={false}
        aria-invalid={!isComplete(draft.trim()) || undefined}
        placeholder={hint}
      />
    </label>
  );
}

/**
 * The environment, among the configured ones, and a region of it (of any, with every environment).
 * An environment in the address that is no longer configured stays choosable: its entries remain.
 */
function WhereFields({
  filter,
  environments,
  onChange,
}: {
  filter: AuditPageFilter;
  environments: readonly EnvironmentListing[];
  onChange: (where: Pick<AuditPageFilter, "environment" | "region">) => void;
}) {
  const chosen = environments.find((e) => e.id === filter.environment);
  const listed =
    filter.environment && !chosen
      ? [...environments, { id: filter.environment, name: filter.environment }]
      : environments;
  const regions = [...new Set((chosen ? [chosen] : environments).flatMap((e) => e.regions))];
  if (filter.region && !regions.includes(filter.region)) regions.push(filter.region);
  return (
    <>
      <label className="field">
        Environment
        <select
          value={filter.environment ?? ""}
          onChange={(e) => onChange({ environment: e.target.value || undefined, region: undefined })}
        >
          <option value="">every environment</option>
          {listed.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name === e.id ? e.id : `${e.name} (${e.id})`}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Region
        <select
          value={filter.region ?? ""}
          onChange={(e) => onChange({ environment: filter.environment, region: e.target.value || undefined })}
        >
          <option value="">any</option>
          {regions.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}

type RangeChoice = AuditTimePreset | "any" | "custom";

const MINUTE_MS = 60_000;

/** A custom range starts as the last day, to the minute, for the user to move. */
const customStart = () => new Date(Math.floor((Date.now() - 86_400_000) / MINUTE_MS) * MINUTE_MS).toISOString();

/** A preset range, or a custom from/until in the browser's local time; "until" includes its whole minute. */
function TimeRange({
  filter,
  onChange,
}: {
  filter: AuditPageFilter;
  onChange: (range: Pick<AuditPageFilter, "range" | "from" | "to">) => void;
}) {
  const choice: RangeChoice = filter.range ?? (filter.from || filter.to ? "custom" : "any");
  const choose = (next: RangeChoice) =>
    onChange(
      next === "custom"
        ? { from: customStart() }
        : { range: next === "any" ? undefined : next, from: undefined, to: undefined },
    );
  const time = (local: string, endOfMinute = false) =>
    local ? new Date(new Date(local).getTime() + (endOfMinute ? MINUTE_MS - 1 : 0)).toISOString() : undefined;
  return (
    <>
      <label className="field">
        Time
        <select value={choice} onChange={(e) => choose(e.target.value as RangeChoice)}>
          <option value="any">any time</option>
          {Object.entries(AUDIT_TIME_PRESETS).map(([preset, label]) => (
            <option key={preset} value={preset}>
              {label}
            </option>
          ))}
          <option value="custom">custom…</option>
        </select>
      </label>
      {choice === "custom" ? (
        <>
          <label className="field">
            From
            <input
              type="datetime-local"
              value={filter.from ? localDateTimeInput(filter.from) : ""}
              onChange={(e) => onChange({ from: time(e.target.value), to: filter.to })}
            />
          </label>
          <label className="field">
            Until
            <input
              type="datetime-local"
              value={filter.to ? localDateTimeInput(filter.to) : ""}
              onChange={(e) => onChange({ from: filter.from, to: time(e.target.value, true) })}
            />
          </label>
        </>
      ) : null}
    </>
  );
}
