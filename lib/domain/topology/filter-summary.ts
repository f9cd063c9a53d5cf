import { isRecord } from "../is-record";

/**
 * A one-line summary of a subscription filter policy for an edge label: "eventType: order.placed,
 * order.cancelled; amount: {"numeric":[">",0]}". Lenient on purpose — the policy was accepted by
 * SNS already; validation lives in ../filter-policy.
 */

const MAX_LENGTH = 120;

/** null when there is no policy (the subscription receives everything); "unparsed policy" for text that is not a JSON object. */
export function summarizeFilterPolicy(policy: string | null | undefined, maxLength = MAX_LENGTH): string | null {
  const parsed = policyObject(policy);
  if (parsed === "unreadable") return "unparsed policy";
  return parsed ? truncate(describeObject(parsed, "").join("; "), maxLength) : null;
}

/** The policy as an object; null where every message is delivered (no policy, or "{}"); "unreadable" otherwise. */
function policyObject(policy: string | null | undefined): Record<string, unknown> | null | "unreadable" {
  if (policy === null || policy === undefined || policy.trim() === "") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    return "unreadable";
  }
  if (!isRecord(parsed)) return "unreadable";
  // SNS treats an empty policy "{}" as no policy: every message is delivered.
  return Object.keys(parsed).length === 0 ? null : parsed;
}

/**
 * The keys a policy tests, for a list of subscriptions: enough to recognise it, not to read it
 * ("eventType, customer.tier"). Like summarizeFilterPolicy, "{}" is no policy.
 */
export function filterPolicyKeys(policy: string | null): string {
  const parsed = policyObject(policy);
  if (parsed === "unreadable") return "unreadable policy";
  if (parsed === null) return "none: receives every message";
  const keys: string[] = [];
  const walk = (value: Record<string, unknown>, prefix: string) => {
    for (const [key, inner] of Object.entries(value)) {
      if (key === "$or" && Array.isArray(inner)) inner.filter(isRecord).forEach((branch) => walk(branch, prefix));
      else if (isRecord(inner)) walk(inner, `${prefix}${key}.`);
      else keys.push(`${prefix}${key}`);
    }
  };
  walk(parsed, "");
  return [...new Set(keys)].join(", ");
}

function describeObject(value: Record<string, unknown>, prefix: string): string[] {
  const parts: string[] = [];
  for (const [key, inner] of Object.entries(value)) {
    if (key === "$or" && Array.isArray(inner)) {
      parts.push(`any of ${inner.length} groups`);
    } else if (Array.isArray(inner)) {
      parts.push(`${prefix}${key}: ${inner.map(describeValue).join(", ")}`);
    } else if (isRecord(inner)) {
      // A nested key, as MessageBody-scope policies have: "detail.type: created".
      parts.push(...describeObject(inner, `${prefix}${key}.`));
    } else {
      parts.push(`${prefix}${key}: ${describeValue(inner)}`);
    }
  }
  return parts;
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  // Operators such as {"numeric":[">",0]} or {"prefix":"order."} read best as compact JSON.
  return JSON.stringify(value) ?? String(value);
}

function truncate(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}
