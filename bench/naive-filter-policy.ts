/**
 * A deliberately naive SNS filter-policy interpreter, the benchmark's same-run baseline: for every
 * message it walks the policy JSON again, expands every `$or` into separate rules, spells out every way
 * of picking one element from each array of objects in the body, and reads each operator from the JSON
 * as it goes. It assumes a valid policy (the engine validates). It shares with the engine only IP
 * parsing and the list of operator names, no matching code, so agreement between the two is a real
 * cross-check.
 */
import { ipInRange, parseCidr } from "../lib/domain/filter-policy/cidr";
import { OPERATOR_NAMES } from "../lib/domain/filter-policy/operator-names";
import type { FilterMessage, FilterPolicyScope } from "../lib/domain/filter-policy/types";
import { isRecord } from "../lib/domain/is-record";

type Scalar = string | number | boolean | null;
type View = Map<string, Scalar[]>;
type Rule = [path: string, conditions: unknown[]][];

const isScalar = (v: unknown): v is Scalar => v === null || ["string", "number", "boolean"].includes(typeof v);

function isOr(key: string, value: unknown): value is Record<string, unknown>[] {
  return (
    key === "$or" &&
    Array.isArray(value) &&
    value.length >= 2 &&
    value.every((b) => isRecord(b) && Object.keys(b).every((k) => !OPERATOR_NAMES.has(k)))
  );
}

/** Every rule the policy stands for: the cartesian product of its `$or` branches. */
function expand(policy: Record<string, unknown>, prefix: string | undefined, scope: FilterPolicyScope): Rule[] {
  let rules: Rule[] = [[]];
  for (const [key, value] of Object.entries(policy)) {
    const path = scope === "MessageAttributes" || prefix === undefined ? key : `${prefix}.${key}`;
    let options: Rule[];
    if (isOr(key, value)) options = value.flatMap((branch) => expand(branch, prefix, scope));
    else if (Array.isArray(value)) options = [[[path, value]]];
    else options = expand(value as Record<string, unknown>, path, scope);
    rules = rules.flatMap((rule) => options.map((option) => [...rule, ...option]));
  }
  return rules;
}

function merge(a: View, b: View): View {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, [...(out.get(k) ?? []), ...v]);
  return out;
}

/** Every view of the body obtained by picking one element from each array of objects (scalars always count). */
function views(node: unknown, path: string | undefined): View[] {
  if (Array.isArray(node)) {
    let scalars: View = new Map();
    const options: View[] = [];
    for (const item of node) {
      if (isScalar(item)) scalars = merge(scalars, views(item, path)[0] ?? new Map());
      else options.push(...views(item, path));
    }
    return options.length === 0 ? [scalars] : options.map((o) => merge(scalars, o));
  }
  if (isRecord(node)) {
    let out: View[] = [new Map()];
    for (const [key, child] of Object.entries(node)) {
      const childViews = views(child, path === undefined ? key : `${path}.${key}`);
      out = out.flatMap((v) => childViews.map((c) => merge(v, c)));
    }
    return out;
  }
  return path !== undefined && isScalar(node) ? [new Map([[path, [node]]])] : [new Map()];
}

const round6 = (n: number) => (Math.abs(n) < 5e9 ? Math.round(n * 1e6) / 1e6 + 0 : n);
const sameValue = (a: Scalar, b: unknown) =>
  typeof a === "number" && typeof b === "number" ? round6(a) === round6(b) : a === b;

function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? "";
    if (ch === "\\") source += (pattern[++i] ?? "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    else if (ch === "*") source += "[\\s\\S]*";
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

function stringOp(op: string, pattern: unknown, value: string): boolean {
  if (isRecord(pattern)) {
    const p = String(pattern["equals-ignore-case"]).toLowerCase();
    return op === "prefix" ? value.toLowerCase().startsWith(p) : value.toLowerCase().endsWith(p);
  }
  const p = String(pattern);
  switch (op) {
    case "prefix":
      return value.startsWith(p);
    case "suffix":
      return value.endsWith(p);
    case "equals-ignore-case":
      return value.toLowerCase() === p.toLowerCase() || value.toUpperCase() === p.toUpperCase();
    default:
      return globToRegExp(p).test(value);
  }
}

function conditionHolds(condition: unknown, value: Scalar): boolean {
  if (!isRecord(condition)) return sameValue(value, condition);
  const [op, arg] = Object.entries(condition)[0] ?? ["", undefined];
  switch (op) {
    case "prefix":
    case "suffix":
    case "equals-ignore-case":
    case "wildcard":
      return typeof value === "string" && stringOp(op, arg, value);
    case "anything-but": {
      if (isRecord(arg)) {
        const [inner, patterns] = Object.entries(arg)[0] ?? ["", []];
        const list = Array.isArray(patterns) ? patterns : [patterns];
        return typeof value !== "string" || !list.some((p) => stringOp(inner, p, value));
      }
      const list = Array.isArray(arg) ? arg : [arg];
      return !list.some((x) => sameValue(value, x));
    }
    case "numeric": {
      if (typeof value !== "number") return false;
      const terms = arg as (string | number)[];
      for (let i = 0; i < terms.length; i += 2) {
        const bound = round6(terms[i + 1] as number);
        const n = round6(value);
        const ok = { "=": n === bound, "<": n < bound, "<=": n <= bound, ">": n > bound, ">=": n >= bound }[
          terms[i] as string
        ];
        if (!ok) return false;
      }
      return true;
    }
    case "cidr": {
      const parsed = parseCidr(String(arg));
      return typeof value === "string" && parsed.ok && ipInRange(value, parsed.range);
    }
    default:
      return false;
  }
}

function ruleHolds(rule: Rule, view: View, all: View): boolean {
  return rule.every(([path, conditions]) => {
    if ((all.get(path) ?? []).length === 0) return conditions.some((c) => isRecord(c) && c.exists === false);
    const values = view.get(path) ?? [];
    return values.some((v) =>
      // `"exists": true` needs "a non-null and non-empty value" (SNS guide, attribute key matching).
      conditions.some((c) =>
        isRecord(c) && "exists" in c ? c.exists === true && v !== null && v !== "" : conditionHolds(c, v),
      ),
    );
  });
}

/** Attribute strings are compared with `"` and `\\` escaped, as the guide's double-escaping rule implies. */
const escaped = (v: Scalar) => (typeof v === "string" ? v.split("\\").join("\\\\").split('"').join('\\"') : v);

function attributeView(message: FilterMessage): View {
  const view: View = new Map();
  if (!("attributes" in message)) return view;
  for (const [name, { Type, Value }] of Object.entries(message.attributes)) {
    if (Type === "String") view.set(name, [escaped(Value)]);
    else if (Type === "Number")
      view.set(name, /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(Value.trim()) ? [Number(Value)] : [escaped(Value)]);
    else if (Type === "String.Array") {
      try {
        const parsed: unknown = JSON.parse(Value);
        view.set(
          name,
          Array.isArray(parsed) ? (parsed.flat(Infinity) as unknown[]).filter(isScalar).map(escaped) : [escaped(Value)],
        );
      } catch {
        view.set(name, [escaped(Value)]);
      }
    }
  }
  return view;
}

/** Whether SNS delivers the message under the (valid) policy, worked out the slow way. */
export function naiveMatches(policy: unknown, scope: FilterPolicyScope, message: FilterMessage): boolean {
  const root = typeof policy === "string" ? (policy.trim() === "" ? {} : JSON.parse(policy)) : policy;
  if (Object.keys(root as object).length === 0) return true;
  const rules = expand(root as Record<string, unknown>, undefined, scope);
  let bodyViews: View[];
  let all: View;
  if (scope === "MessageAttributes") {
    all = attributeView(message);
    bodyViews = [all];
  } else {
    if (!("body" in message)) return false;
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.body);
    } catch {
      return false;
    }
    if (!isRecord(parsed)) return false;
    bodyViews = views(parsed, undefined);
    all = bodyViews.reduce(merge, new Map());
  }
  return rules.some((rule) => bodyViews.some((view) => ruleHolds(rule, view, all)));
}
