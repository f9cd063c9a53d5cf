import { compileFilterPolicy } from "./compile";
import { evaluateFilterPolicy } from "./evaluate";
import type { FilterMessage, FilterPolicyScope, MessageAttribute } from "./types";
import { isRecord } from "../is-record";

/**
 * The conformance-case format (one JSON object per line): a delivery case says whether SNS delivers a
 * message under a policy, a validation case that SNS rejects the policy and with which error.
 */

export type ConformanceCase =
  | {
      id: string;
      source?: string;
      scope: FilterPolicyScope;
      policy: unknown;
      message: FilterMessage;
      expect: "match" | "no-match";
    }
  | { id: string; source?: string; scope: FilterPolicyScope; policy: unknown; expect: "invalid"; error: string | null };

const attributeTypes = new Set(["String", "Number", "String.Array", "Binary"]);

function readMessage(message: unknown): FilterMessage | string {
  if (!isRecord(message)) return "message must be an object";
  if ("body" in message)
    return typeof message.body === "string" ? { body: message.body } : "message.body must be a string";
  if (!("attributes" in message) || !isRecord(message.attributes))
    return "message needs attributes (an object) or body (a string)";
  const attributes: Record<string, MessageAttribute> = {};
  for (const [name, attribute] of Object.entries(message.attributes)) {
    if (
      !isRecord(attribute) ||
      typeof attribute.Type !== "string" ||
      !attributeTypes.has(attribute.Type) ||
      typeof attribute.Value !== "string"
    ) {
      return `message.attributes.${name} must be {"Type": "String" | "Number" | "String.Array" | "Binary", "Value": string}`;
    }
    attributes[name] = { Type: attribute.Type as MessageAttribute["Type"], Value: attribute.Value };
  }
  return { attributes };
}

/** Reads one case, or says why the value is not a case. */
export function readConformanceCase(
  value: unknown,
): { ok: true; case: ConformanceCase } | { ok: false; problem: string } {
  if (!isRecord(value)) return { ok: false, problem: "not a JSON object" };
  const { id, scope, expect } = value;
  if (typeof id !== "string" || id === "") return { ok: false, problem: "id must be a non-empty string" };
  if (scope !== "MessageAttributes" && scope !== "MessageBody")
    return { ok: false, problem: `${id}: scope must be MessageAttributes or MessageBody` };
  if (!("policy" in value)) return { ok: false, problem: `${id}: policy is missing` };
  const source = typeof value.source === "string" ? value.source : undefined;
  const base: { id: string; scope: FilterPolicyScope; policy: unknown; source?: string } = {
    id,
    scope,
    policy: value.policy,
    ...(source ? { source } : {}),
  };
  if (expect === "invalid") {
    if (value.error !== null && typeof value.error !== "string")
      return { ok: false, problem: `${id}: error must be a string or null` };
    return { ok: true, case: { ...base, expect, error: value.error ?? null } };
  }
  if (expect !== "match" && expect !== "no-match")
    return { ok: false, problem: `${id}: expect must be match, no-match or invalid` };
  const message = readMessage(value.message);
  if (typeof message === "string") return { ok: false, problem: `${id}: ${message}` };
  return { ok: true, case: { ...base, expect, message } };
}

/**
 * AWS's reason from its error message: the first line, after "Invalid parameter: ", "Attributes Reason: "
 * (Subscribe) and "FilterPolicy: " when present.
 */
export function awsReason(error: string): string {
  let reason = error.split("\n")[0] ?? "";
  for (const prefix of ["Invalid parameter: ", "Attributes Reason: ", "FilterPolicy: "]) {
    if (reason.startsWith(prefix)) reason = reason.slice(prefix.length);
  }
  return reason;
}

/** Runs one case against the engine. */
export function checkConformanceCase(c: unknown): { id: string; passed: boolean; why?: string } {
  const read = readConformanceCase(c);
  if (!read.ok) {
    const id = isRecord(c) && typeof c.id === "string" ? c.id : "(no id)";
    return { id, passed: false, why: `not a conformance case: ${read.problem}` };
  }
  const kase = read.case;
  const compiled = compileFilterPolicy(kase.policy, kase.scope);
  if (kase.expect === "invalid") {
    if (compiled.ok)
      return {
        id: kase.id,
        passed: false,
        why: `accepted the policy; AWS rejects it${kase.error ? `: ${awsReason(kase.error)}` : ""}`,
      };
    if (kase.error === null) return { id: kase.id, passed: true };
    const expected = awsReason(kase.error);
    if (compiled.error.reason === expected) return { id: kase.id, passed: true };
    return {
      id: kase.id,
      passed: false,
      why: `rejected with "${compiled.error.reason}" (at ${compiled.error.path}); AWS says "${expected}"`,
    };
  }
  if (!compiled.ok)
    return {
      id: kase.id,
      passed: false,
      why: `rejected the policy: ${compiled.error.reason} (at ${compiled.error.path})`,
    };
  const { match } = evaluateFilterPolicy(compiled.policy, kase.message);
  const expected = kase.expect === "match";
  if (match === expected) return { id: kase.id, passed: true };
  return {
    id: kase.id,
    passed: false,
    why: expected ? "not delivered; AWS delivers it" : "delivered; AWS filters it out",
  };
}

/**
 * Reads JSONL text of cases. Blank lines are skipped; the first line that is not JSON, or not a case,
 * is reported with its 1-based number.
 */
export function readConformanceJsonl(
  text: string,
): { ok: true; cases: ConformanceCase[] } | { ok: false; line: number; problem: string } {
  const cases: ConformanceCase[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (line === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      return { ok: false, line: i + 1, problem: `not JSON (${err instanceof Error ? err.message : String(err)})` };
    }
    const read = readConformanceCase(value);
    if (!read.ok) return { ok: false, line: i + 1, problem: `not a conformance case: ${read.problem}` };
    cases.push(read.case);
  }
  return { ok: true, cases };
}
