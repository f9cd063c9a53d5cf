/**
 * The form model of the filter-policy editor: an SNS subscription filter policy (plain JSON) ⇄ the
 * rows the form shows. Pure; knows nothing of the engine that validates and evaluates policies.
 *
 * The form:
 * - a level (the policy, a nested object, an `$or` branch) is a list of rows, AND'ed;
 * - a key row holds either conditions (the key's array; its entries are alternatives, OR'ed) or,
 *   in MessageBody scope, `children`: the rows of a nested object;
 * - an `$or` group holds branches, each a level of its own.
 *
 * Round trip. For every policy `p` that `policyToForm(p, scope)` accepts,
 * `formToPolicy(policyToForm(p, scope).form)` is deep-equal to `p`, and its keys come out in `p`'s
 * own order (so `JSON.stringify` of both is identical). Nothing is normalised on the way:
 * - the order of a key's alternatives is kept; consecutive plain values become one `equals`
 *   condition, and plain values separated by an operator stay separate conditions, in place;
 * - `{"numeric": [">", 0, "<=", 5]}` is one condition with two bounds, in the order written;
 * - `{"anything-but": "a"}` and `{"anything-but": ["a"]}` stay as written (`ConditionRow.list`),
 *   likewise `{"anything-but": {"prefix": "x"}}` against `{"anything-but": {"prefix": ["x"]}}`;
 * - the position of `$or` among its level's keys is kept.
 * What the form does not show is refused with a reason and a JSON Pointer (RFC 6901) to the value:
 * a bare value instead of an array (AWS requires arrays: `"key" must be an object or an array`),
 * nesting in MessageAttributes scope (AWS rejects it), a `$or` that AWS would read as a plain key
 * (not an array of at least two objects of keys), unknown or malformed operators, non-JSON values.
 *
 * The other way, form → JSON → form, rebuilds the form canonically: ids become path ids, adjacent
 * `equals` conditions merge, a prefix/suffix/… condition with several values becomes one condition
 * per value, and whatever `formIssues` reports is restructured or dropped as it describes.
 */

import { isRecord } from "../is-record";
import type { FilterPolicyScope } from "./types";

export type Operator =
  | "equals" // exact values: strings, numbers, booleans, null — e.g. ["a", 5, true, null]
  | "prefix"
  | "suffix"
  | "equals-ignore-case"
  | "wildcard"
  | "anything-but" // values (strings or numbers)
  | "anything-but-prefix"
  | "anything-but-suffix"
  | "anything-but-wildcard"
  | "anything-but-equals-ignore-case"
  | "numeric" // comparisons, one or two bounds (a range)
  | "exists" // true | false
  | "cidr";

export type NumericOp = "=" | "<" | "<=" | ">" | ">=";
/** One comparison of a numeric condition as written (the engine's NumericBound is its compiled form). */
export interface NumericComparison {
  op: NumericOp;
  value: number;
}
export type MatchValue = string | number | boolean | null;

export interface ConditionRow {
  id: string;
  operator: Operator;
  /** equals: the values; prefix/suffix/equals-ignore-case/wildcard/cidr: one string each (several
   * become one JSON entry each); anything-but family: the excluded values. Unused by numeric/exists. */
  values: MatchValue[];
  /** numeric only: one bound, or two for a range. */
  numeric?: NumericComparison[];
  /** exists only (absent means true). */
  exists?: boolean;
  /** anything-but family only: the JSON holds the values in an array even when there is one.
   * Without it, exactly one value is written bare (`{"anything-but": "a"}`). */
  list?: boolean;
}

export interface KeyRow {
  id: string;
  /** One path segment. */
  key: string;
  /** OR'ed: a key's array holds alternatives. Ignored when `children` is present. */
  conditions: ConditionRow[];
  /** MessageBody nesting: the key's value is an object with these rows (which may hold `$or`). */
  children?: FormRow[];
}

export interface OrGroup {
  id: string;
  kind: "or";
  branches: PolicyForm[];
}

export type FormRow = KeyRow | OrGroup;

export interface PolicyForm {
  rows: FormRow[];
}

export type PolicyToFormResult = { ok: true; form: PolicyForm } | { ok: false; reason: string; path: string };

export function isOrGroup(row: FormRow): row is OrGroup {
  return (row as Partial<OrGroup>).kind === "or";
}

// ---------------------------------------------------------------------------------------------
// Operators

/** Every operator, in the order the operator select lists them. */
export const OPERATORS: readonly Operator[] = [
  "equals",
  "prefix",
  "suffix",
  "equals-ignore-case",
  "wildcard",
  "anything-but",
  "anything-but-prefix",
  "anything-but-suffix",
  "anything-but-wildcard",
  "anything-but-equals-ignore-case",
  "numeric",
  "exists",
  "cidr",
];

const NUMBER_OPERATORS: ReadonlySet<Operator> = new Set<Operator>(["equals", "anything-but", "numeric", "exists"]);

/**
 * What the operator select offers for a value kind. `string` gets the string operators (cidr is
 * for IP-address strings), `number` gets exact values, anything-but, numeric comparisons and
 * exists, `any` gets all. AWS offers the same operators in both scopes (the scopes differ in
 * nesting, which `policyToForm` and `formIssues` handle), so the lists do not depend on the scope.
 */
export function operatorsFor(_scope: FilterPolicyScope, valueKind: "string" | "number" | "any"): Operator[] {
  switch (valueKind) {
    case "any":
      return [...OPERATORS];
    case "number":
      return OPERATORS.filter((op) => NUMBER_OPERATORS.has(op));
    case "string":
      return OPERATORS.filter((op) => op !== "numeric");
  }
}

/** Operators written as one `{"op": "string"}` object per value. */
const SINGLE_STRING_OPERATORS = ["prefix", "suffix", "equals-ignore-case", "wildcard", "cidr"] as const;
type SingleStringOperator = (typeof SINGLE_STRING_OPERATORS)[number];

/** `{"anything-but": {"<inner>": …}}` ⇄ operator. */
const ANYTHING_BUT_INNER = {
  prefix: "anything-but-prefix",
  suffix: "anything-but-suffix",
  wildcard: "anything-but-wildcard",
  "equals-ignore-case": "anything-but-equals-ignore-case",
} as const satisfies Record<string, Operator>;
type AnythingButInner = keyof typeof ANYTHING_BUT_INNER;
type AnythingButWithInner = (typeof ANYTHING_BUT_INNER)[AnythingButInner];
const INNER_OF: Record<AnythingButWithInner, AnythingButInner> = {
  "anything-but-prefix": "prefix",
  "anything-but-suffix": "suffix",
  "anything-but-wildcard": "wildcard",
  "anything-but-equals-ignore-case": "equals-ignore-case",
};

/** Keys that make a match object; a `$or` branch holding one of them is not read as a branch by AWS. */
const MATCH_KEYWORDS: ReadonlySet<string> = new Set([...SINGLE_STRING_OPERATORS, "anything-but", "numeric", "exists"]);

const NUMERIC_OPS: ReadonlySet<string> = new Set<NumericOp>(["=", "<", "<=", ">", ">="]);

// ---------------------------------------------------------------------------------------------
// New rows

let newIdCounter = 0;
function newId(kind: string): string {
  newIdCounter += 1;
  return `new-${kind}-${newIdCounter}`;
}

/** A fresh condition. numeric starts as `= 0` and exists as `true`, so the row is complete. */
export function emptyCondition(operator: Operator = "equals"): ConditionRow {
  const condition: ConditionRow = { id: newId("cond"), operator, values: [] };
  if (operator === "numeric") condition.numeric = [{ op: "=", value: 0 }];
  if (operator === "exists") condition.exists = true;
  return condition;
}

/** A fresh key row: no key name yet, one empty `equals` condition. */
export function emptyRow(): KeyRow {
  return { id: newId("key"), key: "", conditions: [emptyCondition()] };
}

// ---------------------------------------------------------------------------------------------
// JSON → form

class ShapeError extends Error {
  constructor(
    readonly reason: string,
    readonly path: string,
  ) {
    super(reason);
  }
}

function pointer(parent: string, segment: string | number): string {
  return `${parent}/${String(segment).replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/** A record that JSON could have produced: a Date, Map or class instance is refused. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function isMatchValue(value: unknown): value is MatchValue {
  return typeof value === "string" || typeof value === "boolean" || value === null || isFiniteNumber(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number" && !Number.isFinite(value)) return `${value} (not a JSON number)`;
  if (typeof value === "object") return isPlainObject(value) ? "an object" : "a non-JSON object";
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return JSON.stringify(value);
  }
  return `${typeof value} (not a JSON value)`;
}

/**
 * Reads a policy into the form. `ok: false` when the JSON has a shape the form cannot show (the
 * JSON tab still can); `path` is a JSON Pointer to the offending value ("" for the policy itself).
 * Ids are path-derived (`key:/a/b`, `cond:/a/2`, `or:/$or`), so the result depends only on the input.
 */
export function policyToForm(policy: unknown, scope: FilterPolicyScope): PolicyToFormResult {
  if (!isPlainObject(policy)) {
    return { ok: false, reason: `A filter policy is a JSON object of keys, not ${describe(policy)}.`, path: "" };
  }
  try {
    return { ok: true, form: { rows: readLevel(policy, "", scope) } };
  } catch (error) {
    if (error instanceof ShapeError) return { ok: false, reason: error.reason, path: error.path };
    throw error;
  }
}

function readLevel(level: Record<string, unknown>, path: string, scope: FilterPolicyScope): FormRow[] {
  const rows: FormRow[] = [];
  for (const [key, value] of Object.entries(level)) {
    const at = pointer(path, key);
    if (key === "$or") {
      rows.push(readOr(value, at, scope));
    } else if (Array.isArray(value)) {
      rows.push({ id: `key:${at}`, key, conditions: readAlternatives(value, at) });
    } else if (isPlainObject(value)) {
      if (scope === "MessageAttributes") {
        throw new ShapeError(
          `"${key}" holds nested keys, but MessageAttributes scope has no nesting (AWS rejects the policy); ` +
            "use MessageBody scope or flatten the key.",
          at,
        );
      }
      rows.push({ id: `key:${at}`, key, conditions: [], children: readLevel(value, at, scope) });
    } else {
      throw new ShapeError(
        `The value of "${key}" must be an array of match values` +
          (scope === "MessageBody" ? " or an object of nested keys" : "") +
          `, not ${describe(value)}; AWS does not accept a bare value (write it as [ … ]).`,
        at,
      );
    }
  }
  return rows;
}

function readOr(value: unknown, at: string, scope: FilterPolicyScope): OrGroup {
  const branchesOk =
    Array.isArray(value) &&
    value.length >= 2 &&
    value.every((branch) => isPlainObject(branch) && Object.keys(branch).every((k) => !MATCH_KEYWORDS.has(k)));
  if (!branchesOk) {
    throw new ShapeError(
      '"$or" must be an array of at least two objects of keys; otherwise AWS reads it as a key named "$or", ' +
        "which the form does not show.",
      at,
    );
  }
  return {
    id: `or:${at}`,
    kind: "or",
    branches: (value as Array<Record<string, unknown>>).map((branch, i) => ({
      rows: readLevel(branch, pointer(at, i), scope),
    })),
  };
}

function readAlternatives(alternatives: unknown[], at: string): ConditionRow[] {
  const conditions: ConditionRow[] = [];
  let equalsRun: ConditionRow | undefined;
  alternatives.forEach((alternative, i) => {
    const altAt = pointer(at, i);
    if (isMatchValue(alternative)) {
      if (!equalsRun) {
        equalsRun = { id: `cond:${altAt}`, operator: "equals", values: [] };
        conditions.push(equalsRun);
      }
      equalsRun.values.push(alternative);
      return;
    }
    equalsRun = undefined;
    conditions.push(readMatchObject(alternative, altAt));
  });
  return conditions;
}

function readMatchObject(alternative: unknown, at: string): ConditionRow {
  if (!isPlainObject(alternative)) {
    throw new ShapeError(
      `A match value is a string, a number, true, false, null or an operator object, not ${describe(alternative)}.`,
      at,
    );
  }
  const entries = Object.entries(alternative);
  const [entry] = entries;
  if (!entry || entries.length !== 1) {
    throw new ShapeError(`An operator object holds exactly one operator; this one has ${entries.length}.`, at);
  }
  const [operator, operand] = entry;
  const id = `cond:${at}`;
  const operandAt = pointer(at, operator);

  if ((SINGLE_STRING_OPERATORS as readonly string[]).includes(operator)) {
    if (typeof operand !== "string") {
      throw new ShapeError(`"${operator}" takes a string, not ${describe(operand)}.`, operandAt);
    }
    return { id, operator: operator as SingleStringOperator, values: [operand] };
  }
  switch (operator) {
    case "anything-but":
      return readAnythingBut(operand, id, operandAt);
    case "numeric":
      return { id, operator: "numeric", values: [], numeric: readNumeric(operand, operandAt) };
    case "exists":
      if (typeof operand !== "boolean") {
        throw new ShapeError(`"exists" takes true or false, not ${describe(operand)}.`, operandAt);
      }
      return { id, operator: "exists", values: [], exists: operand };
    default:
      throw new ShapeError(`"${operator}" is not a filter-policy operator the form knows.`, operandAt);
  }
}

function readAnythingBut(operand: unknown, id: string, at: string): ConditionRow {
  if (typeof operand === "string" || isFiniteNumber(operand)) {
    return { id, operator: "anything-but", values: [operand] };
  }
  if (Array.isArray(operand)) {
    operand.forEach((value, i) => {
      if (typeof value !== "string" && !isFiniteNumber(value)) {
        throw new ShapeError(`"anything-but" lists strings or numbers, not ${describe(value)}.`, pointer(at, i));
      }
    });
    return { id, operator: "anything-but", values: [...(operand as Array<string | number>)], list: true };
  }
  if (isPlainObject(operand)) {
    const entries = Object.entries(operand);
    const [entry] = entries;
    if (entry && entries.length === 1 && Object.hasOwn(ANYTHING_BUT_INNER, entry[0])) {
      const [inner, value] = entry;
      const operator = ANYTHING_BUT_INNER[inner as AnythingButInner];
      const innerAt = pointer(at, inner);
      if (typeof value === "string") return { id, operator, values: [value] };
      if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
        return { id, operator, values: [...(value as string[])], list: true };
      }
      throw new ShapeError(`"anything-but": {"${inner}": …} takes a string, not ${describe(value)}.`, innerAt);
    }
    throw new ShapeError(
      `"anything-but" takes a value, a list, or one of ${Object.keys(ANYTHING_BUT_INNER)
        .map((k) => `{"${k}": …}`)
        .join(", ")}.`,
      at,
    );
  }
  throw new ShapeError(`"anything-but" takes strings or numbers, not ${describe(operand)}.`, at);
}

function readNumeric(operand: unknown, at: string): NumericComparison[] {
  const shapeOk =
    Array.isArray(operand) &&
    (operand.length === 2 || operand.length === 4) &&
    operand.every((item, i) =>
      i % 2 === 0 ? typeof item === "string" && NUMERIC_OPS.has(item) : isFiniteNumber(item),
    );
  if (!shapeOk) {
    throw new ShapeError(
      '"numeric" takes [operator, number] or [operator, number, operator, number], with operators =, <, <=, >, >=.',
      at,
    );
  }
  const items = operand as Array<string | number>;
  const bounds: NumericComparison[] = [];
  for (let i = 0; i < items.length; i += 2) {
    bounds.push({ op: items[i] as NumericOp, value: items[i + 1] as number });
  }
  return bounds;
}

// ---------------------------------------------------------------------------------------------
// form → JSON

function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** Own, enumerable, even for "__proto__". */
function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Writes the form as policy JSON, keys in row order. Forms the JSON cannot hold as they are
 * (`formIssues` lists them) are written deterministically:
 * - a key repeated at one level is written once, at its first row: the nested rows of all its
 *   nested occurrences are merged (exact: AND of the nested keys), otherwise the conditions of all
 *   its leaf occurrences are concatenated (AWS cannot AND two conditions on one key); the first
 *   occurrence decides which of the two it is;
 * - several `$or` groups at one level: the first is written, and the others are repeated inside
 *   each of its branches (exact: (A|B)∧(C|D) = (A∧(C|D)) | (B∧(C|D)));
 * - a key row named "$or" is written only where no `$or` group takes the slot;
 * - a key row with `children` writes its nested rows and ignores its conditions;
 * - a condition with no values writes nothing (equals, prefix, suffix, equals-ignore-case,
 *   wildcard, cidr); anything-but writes `[]`.
 */
export function formToPolicy(form: PolicyForm): Record<string, unknown> {
  return writeLevel(form.rows);
}

function writeLevel(rows: FormRow[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const groups = rows.filter(isOrGroup);
  const rowsByKey = new Map<string, KeyRow[]>();
  for (const row of rows) {
    if (isOrGroup(row)) continue;
    const same = rowsByKey.get(row.key);
    if (same) same.push(row);
    else rowsByKey.set(row.key, [row]);
  }
  for (const row of rows) {
    if (isOrGroup(row)) {
      if (!hasOwn(out, "$or")) setOwn(out, "$or", writeOr(groups));
      continue;
    }
    if (hasOwn(out, row.key) || (row.key === "$or" && groups.length > 0)) continue;
    setOwn(out, row.key, writeKey(rowsByKey.get(row.key) ?? [row]));
  }
  return out;
}

function writeOr(groups: OrGroup[]): unknown[] {
  const [first, ...rest] = groups;
  if (!first) return [];
  return first.branches.map((branch) => writeLevel([...branch.rows, ...rest]));
}

function writeKey(rows: KeyRow[]): unknown {
  const nested = rows[0]?.children !== undefined;
  if (nested) return writeLevel(rows.flatMap((row) => row.children ?? []));
  return rows.filter((row) => row.children === undefined).flatMap((row) => row.conditions.flatMap(writeCondition));
}

function oneOrList(condition: ConditionRow): unknown {
  return condition.values.length === 1 && condition.list !== true ? condition.values[0] : [...condition.values];
}

/** The entries a condition contributes to its key's array. */
function writeCondition(condition: ConditionRow): unknown[] {
  const { operator } = condition;
  switch (operator) {
    case "equals":
      return [...condition.values];
    case "prefix":
    case "suffix":
    case "equals-ignore-case":
    case "wildcard":
    case "cidr":
      return condition.values.map((value) => ({ [operator]: value }));
    case "anything-but":
      return [{ "anything-but": oneOrList(condition) }];
    case "anything-but-prefix":
    case "anything-but-suffix":
    case "anything-but-wildcard":
    case "anything-but-equals-ignore-case":
      return [{ "anything-but": { [INNER_OF[operator]]: oneOrList(condition) } }];
    case "numeric":
      return [{ numeric: (condition.numeric ?? []).flatMap((bound) => [bound.op, bound.value]) }];
    case "exists":
      return [{ exists: condition.exists ?? true }];
    default: {
      const unknownOperator: never = operator;
      throw new Error(`Unknown operator ${String(unknownOperator)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Budget

/**
 * A quick estimate for the live meter; the engine gives the authoritative numbers.
 * - keys: distinct leaf key paths (nested keys count by their leaf path; `$or` adds no segment);
 * - combinations: at each level the product over its rows; a leaf key contributes its number of
 *   array entries (at least 1, so a half-filled row does not zero the meter) times its nesting
 *   depth (1 at the top; the guide's rule for payload-based policies: four values three levels
 *   deep count 12), a nested key contributes its nested level, and an `$or` group the SUM of its
 *   branches. So `{"a": [1,2], "$or": [{"b": [1,2,3]}, {"c": [1]}]}` → 2 × (3 + 1) = 8.
 * An empty form is { keys: 0, combinations: 1 } (the empty product).
 */
export function formBudget(form: PolicyForm): { keys: number; combinations: number } {
  const leafPaths = new Set<string>();
  collectLeafPaths(form.rows, [], leafPaths);
  return { keys: leafPaths.size, combinations: levelCombinations(form.rows, 1) };
}

function collectLeafPaths(rows: FormRow[], prefix: string[], into: Set<string>): void {
  for (const row of rows) {
    if (isOrGroup(row)) {
      for (const branch of row.branches) collectLeafPaths(branch.rows, prefix, into);
    } else if (row.children !== undefined) {
      collectLeafPaths(row.children, [...prefix, row.key], into);
    } else {
      into.add(JSON.stringify([...prefix, row.key]));
    }
  }
}

function levelCombinations(rows: FormRow[], depth: number): number {
  let product = 1;
  for (const row of rows) {
    if (isOrGroup(row)) {
      product *= row.branches.reduce((sum, branch) => sum + levelCombinations(branch.rows, depth), 0);
    } else if (row.children !== undefined) {
      product *= levelCombinations(row.children, depth + 1);
    } else {
      const entries = row.conditions.reduce((n, condition) => n + writeCondition(condition).length, 0);
      product *= Math.max(1, entries) * depth;
    }
  }
  return product;
}

// ---------------------------------------------------------------------------------------------
// What the JSON cannot carry back

export interface FormIssue {
  /** The row, group or condition it is about. */
  id: string;
  message: string;
}

/**
 * What of the form would not come back unchanged through the JSON tab (formToPolicy, then
 * policyToForm): rows the JSON cannot hold as they are, or JSON the form would refuse to read.
 * Whether the policy is valid for AWS (limits, operand types, ranges) is the engine's business.
 */
export function formIssues(form: PolicyForm, scope: FilterPolicyScope): FormIssue[] {
  const issues: FormIssue[] = [];
  checkLevel(form.rows, scope, issues);
  return issues;
}

function checkLevel(rows: FormRow[], scope: FilterPolicyScope, issues: FormIssue[]): void {
  const firstByKey = new Map<string, KeyRow>();
  let firstGroup: OrGroup | undefined;
  for (const row of rows) {
    if (isOrGroup(row)) {
      if (firstGroup) {
        issues.push({
          id: row.id,
          message:
            "A level holds one $or group in JSON; this group is written inside each branch of the first one " +
            "(same meaning, different layout).",
        });
      } else {
        firstGroup = row;
      }
      if (row.branches.length < 2) {
        issues.push({
          id: row.id,
          message: 'An $or group needs at least two branches; with fewer, AWS reads "$or" as a key name.',
        });
      }
      for (const branch of row.branches) checkLevel(branch.rows, scope, issues);
      continue;
    }
    checkKeyRow(row, scope, issues);
    const first = firstByKey.get(row.key);
    if (!first) {
      firstByKey.set(row.key, row);
    } else if (first.children !== undefined && row.children !== undefined) {
      issues.push({
        id: row.id,
        message: `"${row.key}" appears twice at this level; its nested keys are merged into the first one.`,
      });
    } else if (first.children === undefined && row.children === undefined) {
      issues.push({
        id: row.id,
        message:
          `"${row.key}" appears twice at this level; a key holds one array, so its conditions are added to the ` +
          "first row's as alternatives (OR, not AND).",
      });
    } else {
      issues.push({
        id: row.id,
        message: `"${row.key}" appears twice at this level, once nested and once with conditions; only the first is kept.`,
      });
    }
  }
  const keyNamedOr = rows.find((row): row is KeyRow => !isOrGroup(row) && row.key === "$or");
  if (keyNamedOr) {
    issues.push({ id: keyNamedOr.id, message: '"$or" is reserved for OR groups; rename the key.' });
  }
}

function checkKeyRow(row: KeyRow, scope: FilterPolicyScope, issues: FormIssue[]): void {
  if (row.key === "") issues.push({ id: row.id, message: "The key has no name." });
  if (row.children !== undefined) {
    if (scope === "MessageAttributes") {
      issues.push({ id: row.id, message: "MessageAttributes scope has no nested keys (AWS rejects them)." });
    }
    if (row.conditions.length > 0) {
      issues.push({ id: row.id, message: "A key with nested keys keeps no conditions; they are dropped." });
    }
    checkLevel(row.children, scope, issues);
    return;
  }
  for (const condition of row.conditions) {
    if (writeCondition(condition).length === 0) {
      issues.push({ id: condition.id, message: "The condition has no value, so the JSON leaves it out." });
    }
  }
}
