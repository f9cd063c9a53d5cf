import { MASK, type MaskRules } from "../dead-letter-message";
import type { Span, Trace, TraceCause, TraceException } from "./model";
import { isRecord } from "../is-record";

/**
 * The payload masking rules applied to what traces carry of a message: instrumented handlers put
 * the event (or parts of it) into segment metadata, annotations and exception messages, so those
 * are masked on the server like a dead letter's body before anything reaches the browser.
 *
 * - metadata: each rule's path is matched from every object in the tree (the event may sit at
 *   any depth, e.g. metadata.default.event.customer.email for the rule customer.email);
 * - annotations: flat in X-Ray (SDK docs: keys are alphanumeric), so an annotation whose key is a
 *   rule's last segment is masked;
 * - exception messages: text, so `key=value`, `key: value` and `"key":"value"` for a rule's last
 *   segment are masked in it.
 */

/** Nesting past this is withheld rather than walked (metadata is kept as X-Ray gave it). */
const MAX_WALK_DEPTH = 64;
const TOO_DEEP = "[withheld: nested too deep to apply the masking rules]";

type Rules = Pick<MaskRules, "payloadPaths">;

const pathsOf = (rules: Rules) => rules.payloadPaths.filter((p) => p !== "").map((p) => p.split("."));
const lastKeysOf = (rules: Rules) => [
  ...new Set(
    pathsOf(rules)
      .map((segments) => segments.at(-1)!)
      .filter((k) => k !== "*" && !/^\d+$/.test(k)),
  ),
];

/** `value` with whatever is at `segments` (from here) replaced by MASK; null stays null. */
function maskPath(value: unknown, segments: string[], i: number): unknown {
  if (i === segments.length) return value === null || value === undefined ? value : MASK;
  const segment = segments[i]!;
  if (Array.isArray(value)) {
    if (segment !== "*" && !/^\d+$/.test(segment)) return value;
    return value.map((item, index) =>
      segment === "*" || Number(segment) === index ? maskPath(item, segments, i + 1) : item,
    );
  }
  if (isRecord(value)) {
    // fromEntries defines own properties, a "__proto__" key included.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        segment === "*" || segment === key ? maskPath(item, segments, i + 1) : item,
      ]),
    );
  }
  return value;
}

/** Every path applied from every object and array of the tree. */
export function maskTree(value: unknown, rules: Rules, depth = 0): unknown {
  const paths = pathsOf(rules);
  if (paths.length === 0) return value;
  return walk(value, paths, depth);
}

function walk(value: unknown, paths: string[][], depth: number): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (depth >= MAX_WALK_DEPTH) return TOO_DEEP;
  let v: unknown = value;
  for (const segments of paths) v = maskPath(v, segments, 0);
  if (Array.isArray(v)) return v.map((item) => walk(item, paths, depth + 1));
  if (isRecord(v))
    return Object.fromEntries(Object.entries(v).map(([key, item]) => [key, walk(item, paths, depth + 1)]));
  return v;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A text with the value after each key (`key=v`, `key: v`, `"key":"v"`) replaced by MASK. */
export function maskText(text: string, rules: Rules): string {
  let out = text;
  for (const key of lastKeysOf(rules)) {
    const pattern = new RegExp(
      `(["']?\\b${escapeRegExp(key)}\\b["']?\\s*[:=]\\s*)("(?:[^"\\\\]|\\\\.)*"|'[^']*'|[^\\s,;}\\]]+)`,
      "g",
    );
    out = out.replace(
      pattern,
      (_all, lead: string, value: string) =>
        `${lead}${value.startsWith('"') ? `"${MASK}"` : value.startsWith("'") ? `'${MASK}'` : MASK}`,
    );
  }
  return out;
}

/** Annotations with every key that is a rule's last segment masked (any case). */
export function maskAnnotations<V>(annotations: Record<string, V>, rules: Rules): Record<string, V | string> {
  const keys = new Set(lastKeysOf(rules).map((k) => k.toLowerCase()));
  if (keys.size === 0) return annotations;
  return Object.fromEntries(
    Object.entries(annotations).map(([key, value]) => [key, keys.has(key.toLowerCase()) ? MASK : value]),
  );
}

function maskException(e: TraceException, rules: Rules): TraceException {
  return e.message === undefined ? e : { ...e, message: maskText(e.message, rules) };
}

function maskCause(cause: TraceCause, rules: Rules): TraceCause {
  return { ...cause, exceptions: cause.exceptions.map((e) => maskException(e, rules)) };
}

function maskSpan(span: Span, rules: Rules): Span {
  const out: Span = {
    ...span,
    annotations: maskAnnotations(span.annotations, rules),
    children: span.children.map((c) => maskSpan(c, rules)),
  };
  if (span.metadata) out.metadata = maskTree(span.metadata, rules) as Record<string, unknown>;
  if (span.cause) out.cause = maskCause(span.cause, rules);
  return out;
}

/** A copy of the trace with the payload rules applied to metadata, annotations and exception messages. */
export function maskTrace(trace: Trace, rules: Rules): Trace {
  if (pathsOf(rules).length === 0) return trace;
  return { ...trace, segments: trace.segments.map((s) => maskSpan(s, rules)) };
}
