import { isRecord } from "../is-record";
import type { FilterPolicyScope } from "./types";

/**
 * A structural diff of two filter policies, key by key, for comparing one subscription across
 * environments: which key paths only one side has and which hold other conditions. Policies are
 * compared as SNS reads them, not as text: key order does not count, nor does the order of a key's
 * values, which are alternatives ("AND/OR logic" in the Amazon SNS Developer Guide: values in one
 * key's array are ORed), nor the order of `$or`'s branches. The order inside one condition (the
 * operands of `numeric`) does count. Nested keys (MessageBody scope) are followed into their objects.
 */

export interface PolicySide {
  /** The policy text as SNS holds it; null when the subscription has none (it receives everything). */
  policy: string | null;
  scope: FilterPolicyScope;
}

export type PolicyChange =
  | { kind: "added"; path: string; keys: string[]; after: unknown }
  | { kind: "removed"; path: string; keys: string[]; before: unknown }
  | { kind: "changed"; path: string; keys: string[]; before: unknown; after: unknown };

export interface PolicyDiff {
  /** True when both sides filter the same way (the same policy and scope, or neither has a policy). */
  same: boolean;
  /** Present when one side has no policy (it receives every message published to its topic). */
  presence?: { before: boolean; after: boolean };
  /** Present when both have a policy in different scopes: the same keys then test other parts of a message. */
  scope?: { before: FilterPolicyScope; after: FilterPolicyScope };
  /** Key paths that differ, in key order. */
  changes: PolicyChange[];
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** A key path as text: `customer.tier`, with a key that is not a plain name quoted (`["a.b"]`). */
export function policyPath(keys: readonly string[]): string {
  return keys
    .map((key, i) => (PLAIN_KEY.test(key) ? (i === 0 ? key : `.${key}`) : `[${JSON.stringify(key)}]`))
    .join("");
}

/** JSON text with object keys sorted, so that key order never makes a difference. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(",")}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** A key's conditions as one comparable text: its alternatives in a fixed order. */
function conditionText(value: unknown): string {
  return Array.isArray(value) ? `[${value.map(sortedJson).sort().join(",")}]` : sortedJson(value);
}

/** A policy's text for reading: indented JSON, as written when it is not JSON, "" for none. */
export function readablePolicy(text: string | null): string {
  if (text === null) return "";
  const parsed = parsePolicy(text);
  return parsed.ok ? JSON.stringify(parsed.value, null, 2) : text;
}

function parsePolicy(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function diffValues(before: unknown, after: unknown, keys: string[], out: PolicyChange[]): void {
  if (isRecord(before) && isRecord(after)) {
    const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const name of names) {
      const path = [...keys, name];
      if (!(name in after)) out.push({ kind: "removed", path: policyPath(path), keys: path, before: before[name] });
      else if (!(name in before)) out.push({ kind: "added", path: policyPath(path), keys: path, after: after[name] });
      else diffValues(before[name], after[name], path, out);
    }
    return;
  }
  if (conditionText(before) !== conditionText(after)) {
    out.push({ kind: "changed", path: policyPath(keys), keys, before, after });
  }
}

/**
 * What differs from `before` to `after`. A side without a policy counts as `{}`, so every key of the
 * other shows as added or removed, and `presence` says which side has none. A policy that is not
 * JSON (SNS never holds one) is compared as a whole, as its text.
 */
export function diffPolicies(before: PolicySide, after: PolicySide): PolicyDiff {
  const changes: PolicyChange[] = [];
  const a = before.policy === null ? { ok: true as const, value: {} } : parsePolicy(before.policy);
  const b = after.policy === null ? { ok: true as const, value: {} } : parsePolicy(after.policy);
  if (a.ok && b.ok) diffValues(a.value, b.value, [], changes);
  else if (before.policy !== after.policy) {
    changes.push({ kind: "changed", path: "", keys: [], before: before.policy, after: after.policy });
  }
  const hasBefore = before.policy !== null;
  const hasAfter = after.policy !== null;
  const diff: PolicyDiff = { same: false, changes };
  if (hasBefore !== hasAfter) diff.presence = { before: hasBefore, after: hasAfter };
  // Without a policy the scope filters nothing, so it differs only when both have one.
  if (hasBefore && hasAfter && before.scope !== after.scope) diff.scope = { before: before.scope, after: after.scope };
  diff.same = changes.length === 0 && !diff.presence && !diff.scope;
  return diff;
}
