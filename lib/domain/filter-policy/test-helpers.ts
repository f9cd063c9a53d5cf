import { compileFilterPolicy } from "./compile";
import { evaluateFilterPolicy } from "./evaluate";
import type { CompiledPolicy, Evaluation, FilterMessage, FilterPolicyScope, MessageAttribute } from "./types";

/** Shorthands for the unit tests of this folder. */

export function compileOrThrow(policy: unknown, scope: FilterPolicyScope = "MessageAttributes"): CompiledPolicy {
  const compiled = compileFilterPolicy(policy, scope);
  if (!compiled.ok) throw new Error(`policy rejected: ${compiled.error.reason} at ${compiled.error.path}`);
  return compiled.policy;
}

/** Attributes from `{name: [Type, Value]}`. */
export function attrs(spec: Record<string, [MessageAttribute["Type"], string]>): FilterMessage {
  return {
    attributes: Object.fromEntries(Object.entries(spec).map(([name, [Type, Value]]) => [name, { Type, Value }])),
  };
}

/** A body message from a value (serialised) or raw text. */
export function body(value: unknown): FilterMessage {
  return { body: typeof value === "string" ? value : JSON.stringify(value) };
}

export function evaluate(policy: unknown, scope: FilterPolicyScope, message: FilterMessage): Evaluation {
  return evaluateFilterPolicy(compileOrThrow(policy, scope), message);
}

export function delivers(policy: unknown, scope: FilterPolicyScope, message: FilterMessage): boolean {
  return evaluate(policy, scope, message).match;
}

/** The reason a policy is rejected, or "accepted". */
export function rejection(policy: unknown, scope: FilterPolicyScope = "MessageAttributes"): string {
  const compiled = compileFilterPolicy(policy, scope);
  return compiled.ok ? "accepted" : compiled.error.reason;
}
