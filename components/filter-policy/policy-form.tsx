"use client";
import { createContext, useContext, useState, type KeyboardEvent } from "react";
import type { EndpointDifference } from "@/lib/domain/filter-policy/endpoint-differences";
import {
  emptyCondition,
  emptyRow,
  isOrGroup,
  operatorsFor,
  type ConditionRow,
  type FormRow,
  type KeyRow,
  type MatchValue,
  type NumericOp,
  type Operator,
  type OrGroup,
  type PolicyForm,
} from "@/lib/domain/filter-policy/form-model";
import type { FilterPolicyScope } from "@/lib/domain/filter-policy/types";

/**
 * The filter policy as rows: key, operator, values. A key's conditions are alternatives (any
 * may hold); keys are all required; `$or` groups hold alternative sets of keys; in MessageBody
 * scope a key can hold nested keys. Every edit produces a new form; the parent turns it into JSON.
 */

const operatorLabels: Record<Operator, string> = {
  equals: "is one of",
  prefix: "starts with",
  suffix: "ends with",
  "equals-ignore-case": "equals, ignoring case",
  wildcard: "matches wildcard",
  "anything-but": "is none of",
  "anything-but-prefix": "does not start with",
  "anything-but-suffix": "does not end with",
  "anything-but-wildcard": "does not match wildcard",
  "anything-but-equals-ignore-case": "is none of, ignoring case",
  numeric: "number is",
  exists: "exists",
  cidr: "IP address in CIDR",
};

const numericOps: NumericOp[] = ["=", "<", "<=", ">", ">="];

/** Where the connected endpoint differs from AWS, shown beside the rule concerned. */
const EndpointNotes = createContext<EndpointDifference[]>([]);

function RuleNotes({ keyPath, or }: { keyPath: string; or?: boolean }) {
  const notes = useContext(EndpointNotes).filter(
    (n) => n.keyPath === keyPath && n.path.endsWith("$or") === Boolean(or),
  );
  if (notes.length === 0) return null;
  return (
    <ul className="rule-notes">
      {notes.map((n) => (
        <li key={n.path}>⚠ {n.message}</li>
      ))}
    </ul>
  );
}

/** The operators the select offers: those that fit the values the condition already holds. */
function operatorChoices(condition: ConditionRow): Operator[] {
  const values = condition.values;
  const kind =
    condition.operator === "numeric" || (values.length > 0 && values.every((v) => typeof v === "number"))
      ? "number"
      : values.some((v) => typeof v === "string")
        ? "string"
        : "any";
  const offered = operatorsFor("MessageBody", kind);
  return offered.includes(condition.operator) ? offered : [condition.operator, ...offered];
}

/** Typed text becomes a number, boolean or null where it reads as one, as in the JSON. */
function parseValue(text: string, operator: Operator): MatchValue {
  const t = text.trim();
  if (operator === "equals" || operator === "anything-but") {
    if (t === "true") return true;
    if (t === "false") return false;
    if (t === "null") return null;
    if (t !== "" && !Number.isNaN(Number(t)) && /^-?\d/.test(t)) return Number(t);
  }
  return t;
}

const display = (v: MatchValue) => (typeof v === "string" ? v : JSON.stringify(v));

type Update<T> = (next: T) => void;

function ValueChips({
  condition,
  onChange,
  label,
}: {
  condition: ConditionRow;
  onChange: Update<ConditionRow>;
  label: string;
}) {
  const [draft, setDraft] = useState("");
  const add = () => {
    if (!draft.trim()) return;
    onChange({ ...condition, values: [...condition.values, parseValue(draft, condition.operator)] });
    setDraft("");
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter" || e.key === ",") {
      e.preventDefault();
      add();
    } else if (e.key === "Backspace" && draft === "" && condition.values.length > 0) {
      onChange({ ...condition, values: condition.values.slice(0, -1) });
    }
  };
  return (
    <div className="chips">
      {condition.values.map((v, i) => (
        <span key={i} className="chip">
          <span className={typeof v === "string" ? "" : "chip-typed"}>{display(v)}</span>
          <button
            type="button"
            aria-label={`Remove ${display(v)}`}
            onClick={() => onChange({ ...condition, values: condition.values.filter((_, j) => j !== i) })}
          >
            ×
          </button>
        </span>
      ))}
      <input
        aria-label={label}
        value={draft}
        placeholder="value, Enter"
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKey}
        onBlur={add}
      />
    </div>
  );
}

function ConditionEditor({
  condition,
  onChange,
  onRemove,
  keyLabel,
}: {
  condition: ConditionRow;
  onChange: Update<ConditionRow>;
  onRemove: () => void;
  keyLabel: string;
}) {
  const setOperator = (operator: Operator) => {
    const next = emptyCondition(operator);
    onChange({
      ...next,
      id: condition.id,
      values:
        operator === "numeric" || operator === "exists" ? [] : condition.values.filter((v) => typeof v === "string"),
    });
  };
  return (
    <div className="condition">
      <select
        aria-label={`Operator for ${keyLabel}`}
        value={condition.operator}
        onChange={(e) => setOperator(e.target.value as Operator)}
      >
        {operatorChoices(condition).map((op) => (
          <option key={op} value={op}>
            {operatorLabels[op]}
          </option>
        ))}
      </select>
      {condition.operator === "exists" ? (
        <select
          aria-label={`Exists value for ${keyLabel}`}
          value={String(condition.exists ?? true)}
          onChange={(e) => onChange({ ...condition, exists: e.target.value === "true" })}
        >
          <option value="true">yes (key present)</option>
          <option value="false">no (key absent)</option>
        </select>
      ) : condition.operator === "numeric" ? (
        <NumericBounds condition={condition} onChange={onChange} keyLabel={keyLabel} />
      ) : (
        <ValueChips condition={condition} onChange={onChange} label={`Values for ${keyLabel}`} />
      )}
      <button type="button" className="icon-button" aria-label={`Remove condition from ${keyLabel}`} onClick={onRemove}>
        ×
      </button>
    </div>
  );
}

function NumericBounds({
  condition,
  onChange,
  keyLabel,
}: {
  condition: ConditionRow;
  onChange: Update<ConditionRow>;
  keyLabel: string;
}) {
  const bounds = condition.numeric?.length ? condition.numeric : [{ op: ">" as NumericOp, value: 0 }];
  const setBound = (i: number, bound: { op: NumericOp; value: number }) =>
    onChange({ ...condition, numeric: bounds.map((b, j) => (j === i ? bound : b)) });
  return (
    <span className="numeric">
      {bounds.map((b, i) => (
        <span key={i} className="numeric-bound">
          {i === 1 ? <span className="muted">and</span> : null}
          <select
            aria-label={`Comparison ${i + 1} for ${keyLabel}`}
            value={b.op}
            onChange={(e) => setBound(i, { ...b, op: e.target.value as NumericOp })}
          >
            {numericOps.map((op) => (
              <option key={op}>{op}</option>
            ))}
          </select>
          <input
            aria-label={`Number ${i + 1} for ${keyLabel}`}
            type="number"
            step="any"
            value={Number.isFinite(b.value) ? b.value : ""}
            onChange={(e) => setBound(i, { ...b, value: e.target.valueAsNumber })}
          />
        </span>
      ))}
      {bounds.length === 1 ? (
        <button
          type="button"
          className="link-button"
          onClick={() => onChange({ ...condition, numeric: [...bounds, { op: "<=", value: 100 }] })}
        >
          + upper bound (range)
        </button>
      ) : (
        <button
          type="button"
          className="link-button"
          onClick={() => onChange({ ...condition, numeric: bounds.slice(0, 1) })}
        >
          − single bound
        </button>
      )}
    </span>
  );
}

function KeyRowEditor({
  row,
  scope,
  onChange,
  onRemove,
  path,
}: {
  row: KeyRow;
  scope: FilterPolicyScope;
  onChange: Update<KeyRow>;
  onRemove: () => void;
  path: string;
}) {
  const keyLabel = path ? `${path}.${row.key || "(new key)"}` : row.key || "(new key)";
  const keyPath = path ? `${path}.${row.key}` : row.key;
  return (
    <div className="key-row">
      <div className="key-row-head">
        <input
          className="key-input"
          aria-label="Key"
          value={row.key}
          placeholder="key"
          onChange={(e) => onChange({ ...row, key: e.target.value })}
        />
        {row.children ? (
          <span className="muted">has nested keys:</span>
        ) : (
          <div className="conditions">
            {row.conditions.map((c, i) => (
              <div key={c.id} className="condition-line">
                {i > 0 ? <span className="muted or-word">or</span> : null}
                <ConditionEditor
                  condition={c}
                  keyLabel={keyLabel}
                  onChange={(next) =>
                    onChange({ ...row, conditions: row.conditions.map((x) => (x.id === c.id ? next : x)) })
                  }
                  onRemove={() => onChange({ ...row, conditions: row.conditions.filter((x) => x.id !== c.id) })}
                />
              </div>
            ))}
            <button
              type="button"
              className="link-button"
              onClick={() => onChange({ ...row, conditions: [...row.conditions, emptyCondition()] })}
            >
              + or another condition
            </button>
          </div>
        )}
        <button type="button" className="icon-button" aria-label={`Remove key ${keyLabel}`} onClick={onRemove}>
          ×
        </button>
      </div>
      <RuleNotes keyPath={keyPath} />
      {row.children ? (
        <div className="nested">
          <RowsEditor
            rows={row.children}
            scope={scope}
            path={keyLabel}
            onChange={(children) => onChange({ ...row, children })}
          />
        </div>
      ) : scope === "MessageBody" ? (
        <button
          type="button"
          className="link-button"
          onClick={() => onChange({ ...row, conditions: [], children: [emptyRow()] })}
        >
          + nested keys instead
        </button>
      ) : null}
    </div>
  );
}

function OrGroupEditor({
  group,
  scope,
  onChange,
  onRemove,
  path,
}: {
  group: OrGroup;
  scope: FilterPolicyScope;
  onChange: Update<OrGroup>;
  onRemove: () => void;
  path: string;
}) {
  return (
    <fieldset className="or-group">
      <legend>
        Any of these ($or){" "}
        <button type="button" className="icon-button" aria-label="Remove $or group" onClick={onRemove}>
          ×
        </button>
      </legend>
      <RuleNotes keyPath={path} or />
      {group.branches.map((branch, i) => (
        <div key={i} className="or-branch">
          {i > 0 ? <p className="or-divider">or</p> : null}
          <RowsEditor
            rows={branch.rows}
            scope={scope}
            path={path}
            onChange={(rows) =>
              onChange({ ...group, branches: group.branches.map((b, j) => (j === i ? { rows } : b)) })
            }
          />
          {group.branches.length > 2 ? (
            <button
              type="button"
              className="link-button"
              onClick={() => onChange({ ...group, branches: group.branches.filter((_, j) => j !== i) })}
            >
              remove this branch
            </button>
          ) : null}
        </div>
      ))}
      <button
        type="button"
        className="link-button"
        onClick={() => onChange({ ...group, branches: [...group.branches, { rows: [emptyRow()] }] })}
      >
        + another branch
      </button>
    </fieldset>
  );
}

let groupCounter = 0;

function RowsEditor({
  rows,
  scope,
  onChange,
  path,
}: {
  rows: FormRow[];
  scope: FilterPolicyScope;
  onChange: Update<FormRow[]>;
  path: string;
}) {
  const replace = (id: string, next: FormRow) => onChange(rows.map((r) => (r.id === id ? next : r)));
  const remove = (id: string) => onChange(rows.filter((r) => r.id !== id));
  return (
    <div className="rows">
      {rows.map((row) =>
        isOrGroup(row) ? (
          <OrGroupEditor
            key={row.id}
            group={row}
            scope={scope}
            path={path}
            onChange={(next) => replace(row.id, next)}
            onRemove={() => remove(row.id)}
          />
        ) : (
          <KeyRowEditor
            key={row.id}
            row={row}
            scope={scope}
            path={path}
            onChange={(next) => replace(row.id, next)}
            onRemove={() => remove(row.id)}
          />
        ),
      )}
      <div className="row-actions">
        <button
          type="button"
          className="button"
          onClick={() => onChange([...rows, { ...emptyRow(), conditions: [emptyCondition()] }])}
        >
          + Add key
        </button>
        <button
          type="button"
          className="button"
          onClick={() =>
            onChange([
              ...rows,
              {
                id: `new-or-${++groupCounter}`,
                kind: "or",
                branches: [{ rows: [emptyRow()] }, { rows: [emptyRow()] }],
              },
            ])
          }
        >
          + Add $or group
        </button>
      </div>
    </div>
  );
}

export function PolicyFormEditor({
  form,
  scope,
  onChange,
  notes = [],
}: {
  form: PolicyForm;
  scope: FilterPolicyScope;
  onChange: Update<PolicyForm>;
  notes?: EndpointDifference[];
}) {
  return (
    <EndpointNotes.Provider value={notes}>
      <RowsEditor rows={form.rows} scope={scope} path="" onChange={(rows) => onChange({ rows })} />
    </EndpointNotes.Provider>
  );
}
