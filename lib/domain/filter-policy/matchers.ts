import { ipInRange } from "./cidr";
import type { Condition, ConditionSpec, Leaf, Scalar } from "./types";

/**
 * Compiles validated conditions to predicates over one message value. Types are strict, as in AWS:
 * string operators only ever match strings, numeric ones only numbers (a Number attribute, or a JSON
 * number in a body or a String.Array), and the string "100" is not the number 100.
 */

/**
 * Numbers compare after rounding to 6 decimal places. The guide ("Filter policy constraints") promises
 * five digits of accuracy; AWS tells 100.123456789 from 100.1234561 but not from 100.1234567, which is
 * what rounding at the sixth digit gives. Beyond ±5e9 the scaled value would lose integer precision,
 * so such numbers compare as they are.
 */
export function normalizeNumber(n: number): number {
  return Math.abs(n) < 5e9 ? Math.round(n * 1e6) / 1e6 + 0 : n;
}

function foldCase(s: string): string {
  return s.toLowerCase();
}

function equalsIgnoreCase(a: string, b: string): boolean {
  return a === b || foldCase(a) === foldCase(b) || a.toUpperCase() === b.toUpperCase();
}

/**
 * Reads a wildcard pattern ("String value matching" → "Wildcard matching"): `*` matches any run of
 * characters, `\*` and `\\` are a literal asterisk and backslash. Gives the literal segments between
 * wildcards, or AWS's reason; positions count UTF-8 bytes, as AWS does.
 */
export function parseWildcard(pattern: string): { ok: true; segments: string[] } | { ok: false; reason: string } {
  const bytes = new TextEncoder().encode(pattern);
  const decoder = new TextDecoder();
  const segments: string[] = [];
  let current: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x2a) {
      if (bytes[i + 1] === 0x2a) return { ok: false, reason: `Consecutive wildcard characters at pos ${i}` };
      segments.push(decoder.decode(new Uint8Array(current)));
      current = [];
    } else if (b === 0x5c) {
      const next = bytes[i + 1];
      if (next !== 0x2a && next !== 0x5c) return { ok: false, reason: `Invalid escape character at pos ${i}` };
      current.push(next);
      i++;
    } else if (b !== undefined) {
      current.push(b);
    }
  }
  segments.push(decoder.decode(new Uint8Array(current)));
  return { ok: true, segments };
}

/** Whether a string matches wildcard segments (n+1 literal segments around n wildcards). */
export function wildcardMatches(segments: readonly string[], value: string): boolean {
  const first = segments[0] ?? "";
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1] ?? "";
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  let at = first.length;
  const end = value.length - last.length;
  // Leftmost placement of each middle segment leaves the most room for the rest.
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i] ?? "";
    const found = value.indexOf(segment, at);
    if (found === -1 || found + segment.length > end) return false;
    at = found + segment.length;
  }
  return true;
}

function render(value: Scalar): string {
  return JSON.stringify(value);
}

/** The human-readable form of a condition, for explanations. */
export function describeCondition(spec: ConditionSpec): string {
  switch (spec.kind) {
    case "equals":
      return `equals ${render(spec.value)}`;
    case "prefix":
    case "suffix":
      return `${spec.kind} ${spec.ignoreCase ? "(ignoring case) " : ""}${render(spec.value)}`;
    case "equals-ignore-case":
      return `equals-ignore-case ${render(spec.value)}`;
    case "wildcard":
      return `wildcard ${render(spec.pattern)}`;
    case "anything-but":
      return spec.values.length === 1
        ? `anything-but ${render(spec.values[0] ?? null)}`
        : `anything-but ${JSON.stringify(spec.values)}`;
    case "anything-but-pattern":
      return `anything-but ${spec.operator} ${spec.patterns.length === 1 ? render(spec.patterns[0] ?? null) : JSON.stringify(spec.patterns)}`;
    case "numeric": {
      if (spec.equals !== undefined) return `numeric = ${spec.equals}`;
      const parts: string[] = [];
      if (spec.lower) parts.push(`${spec.lower.inclusive ? ">=" : ">"} ${spec.lower.value}`);
      if (spec.upper) parts.push(`${spec.upper.inclusive ? "<=" : "<"} ${spec.upper.value}`);
      return `numeric ${parts.join(" and ")}`;
    }
    case "exists":
      return spec.value ? "exists" : "does not exist";
    case "cidr":
      return `cidr ${spec.text}`;
  }
}

const never = () => false;

/** The predicate of one condition over one present value. */
export function conditionPredicate(spec: ConditionSpec): (value: Scalar) => boolean {
  switch (spec.kind) {
    case "equals": {
      const expected = spec.value;
      if (typeof expected === "number") {
        const n = normalizeNumber(expected);
        return (v) => typeof v === "number" && normalizeNumber(v) === n;
      }
      return (v) => v === expected;
    }
    case "prefix": {
      const p = spec.value;
      if (!spec.ignoreCase) return (v) => typeof v === "string" && v.startsWith(p);
      const folded = foldCase(p);
      return (v) => typeof v === "string" && foldCase(v).startsWith(folded);
    }
    case "suffix": {
      const s = spec.value;
      if (!spec.ignoreCase) return (v) => typeof v === "string" && v.endsWith(s);
      const folded = foldCase(s);
      return (v) => typeof v === "string" && foldCase(v).endsWith(folded);
    }
    case "equals-ignore-case": {
      const expected = spec.value;
      return (v) => typeof v === "string" && equalsIgnoreCase(v, expected);
    }
    case "wildcard": {
      const segments = spec.segments;
      return (v) => typeof v === "string" && wildcardMatches(segments, v);
    }
    case "anything-but": {
      // "Anything-but matching": any present value that is none of the listed ones, whatever its type.
      const strings = new Set(spec.values.filter((x): x is string => typeof x === "string"));
      const numbers = new Set(spec.values.filter((x): x is number => typeof x === "number").map(normalizeNumber));
      return (v) =>
        typeof v === "string" ? !strings.has(v) : typeof v === "number" ? !numbers.has(normalizeNumber(v)) : true;
    }
    case "anything-but-pattern": {
      const inner: ((s: string) => boolean)[] = spec.patterns.map((p, i) => {
        switch (spec.operator) {
          case "prefix":
            return (s: string) => s.startsWith(p);
          case "suffix":
            return (s: string) => s.endsWith(p);
          case "equals-ignore-case":
            return (s: string) => equalsIgnoreCase(s, p);
          case "wildcard": {
            const segments = spec.wildcards[i] ?? [p];
            return (s: string) => wildcardMatches(segments, s);
          }
        }
      });
      // A value that is not a string cannot have the excluded shape, so it is "anything but" it.
      return (v) => typeof v !== "string" || !inner.some((f) => f(v));
    }
    case "numeric": {
      const eq = spec.equals === undefined ? undefined : normalizeNumber(spec.equals);
      const lo = spec.lower ? { value: normalizeNumber(spec.lower.value), inclusive: spec.lower.inclusive } : undefined;
      const hi = spec.upper ? { value: normalizeNumber(spec.upper.value), inclusive: spec.upper.inclusive } : undefined;
      return (v) => {
        if (typeof v !== "number") return false;
        const n = normalizeNumber(v);
        if (eq !== undefined) return n === eq;
        if (lo && (lo.inclusive ? n < lo.value : n <= lo.value)) return false;
        if (hi && (hi.inclusive ? n > hi.value : n >= hi.value)) return false;
        return true;
      };
    }
    case "exists":
      return never;
    case "cidr": {
      const range = spec.range;
      return (v) => typeof v === "string" && ipInRange(v, range);
    }
  }
}

export function compileCondition(spec: ConditionSpec): Condition {
  return { spec, text: describeCondition(spec), test: conditionPredicate(spec) };
}

/**
 * A key's conditions as one fast predicate: exact strings and numbers become set lookups, the other
 * operators are tried in turn ("AND/OR logic": the values listed under one key are alternatives).
 */
export function compileLeaf(path: string, jsonPath: string, specs: ConditionSpec[]): Leaf {
  const conditions = specs.map(compileCondition);
  const exactStrings = new Set<string>();
  const exactNumbers = new Set<number>();
  let exactTrue = false;
  let exactFalse = false;
  let exactNull = false;
  let existsTrue = false;
  let existsFalse = false;
  const others: ((v: Scalar) => boolean)[] = [];
  for (const c of conditions) {
    const spec = c.spec;
    if (spec.kind === "exists") {
      if (spec.value) existsTrue = true;
      else existsFalse = true;
    } else if (spec.kind === "equals") {
      const v = spec.value;
      if (typeof v === "string") exactStrings.add(v);
      else if (typeof v === "number") exactNumbers.add(normalizeNumber(v));
      else if (v === true) exactTrue = true;
      else if (v === false) exactFalse = true;
      else exactNull = true;
    } else {
      others.push(c.test);
    }
  }
  const hasStrings = exactStrings.size > 0;
  const hasNumbers = exactNumbers.size > 0;
  const matchValue = (v: Scalar): boolean => {
    switch (typeof v) {
      case "string":
        if (hasStrings && exactStrings.has(v)) return true;
        break;
      case "number":
        if (hasNumbers && exactNumbers.has(normalizeNumber(v))) return true;
        break;
      case "boolean":
        if (v ? exactTrue : exactFalse) return true;
        break;
      default:
        if (exactNull) return true;
    }
    for (const test of others) if (test(v)) return true;
    return false;
  };
  return { path, jsonPath, conditions, matchValue, existsTrue, existsFalse };
}
