/**
 * Types of the SNS subscription filter-policy engine. The public part is what the console builds on
 * (compile a policy once, evaluate it against messages, explain why); the internal part is the
 * compiled form, shared by the modules of this folder only.
 */

import type { FILTER_POLICY_LIMITS } from "./limits";

/** Where SNS looks for the properties a policy names ("Filter policy scope" in the SNS Developer Guide). */
export type FilterPolicyScope = "MessageAttributes" | "MessageBody";

/** A message attribute as published: SNS only compares String, String.Array and Number; Binary is ignored. */
export interface MessageAttribute {
  Type: "String" | "Number" | "String.Array" | "Binary";
  Value: string;
}

/** A message as the policy sees it: its attributes (MessageAttributes scope) or its raw body text (MessageBody scope). */
export type FilterMessage = { attributes: Record<string, MessageAttribute> } | { body: string };

/**
 * Why AWS rejects a policy. `reason` is AWS's text after "FilterPolicy: " (first line only, without the
 * "\n at [Source: ...]" suffix); `path` is the JSON path of the offending part, e.g. `$.price[0].numeric[1]`.
 * `position` is set for policy text that is not JSON: where the parser stopped (1-based, as AWS reports it).
 */
export interface PolicyProblem {
  reason: string;
  path: string;
  position?: { line: number; column: number };
}

type Limits = typeof FILTER_POLICY_LIMITS;

/** How much of AWS's limits a policy uses ("Filter policy constraints"). */
export interface PolicyBudget {
  keys: number;
  maxKeys: Limits["maxKeys"];
  combinations: number;
  maxCombinations: Limits["maxCombinations"];
  bytes: number;
  maxBytes: Limits["maxBytes"];
}

export interface CompiledPolicy {
  scope: FilterPolicyScope;
  /** The parsed policy JSON. */
  source: unknown;
  budget: PolicyBudget;
  /** The policy as an AND of keys and `$or` groups, each key with its conditions compiled to predicates. */
  root: AndGroup;
  /** Every message path a key names (attribute names, or dotted body paths), numbered in order. */
  leafPaths: ReadonlyMap<string, number>;
  /** The body paths as a tree of their dot-separated segments, so that reading a body descends only where the policy looks. */
  pathTree: PathNode;
  /** The verdict alone, compiled for evaluateFilterPolicy (verdict.ts). */
  verdict: PolicyVerdict;
}

/** A compiled policy's match-only test: over the attributes (MessageAttributes) or the body's JSON object (MessageBody). */
export interface PolicyVerdict {
  /** An empty policy filters nothing: every message, even a body that is not JSON, is delivered. */
  empty: boolean;
  attributes: (attributes: Record<string, MessageAttribute>) => boolean;
  body: (body: Record<string, unknown>) => boolean;
  /** False when a body's text cannot match, read before parsing it: it lacks a key the policy needs. */
  bodyText: (text: string) => boolean;
}

export interface PathNode {
  children: Map<string, PathNode>;
  /** Set when a key of the policy names this path: its number in `leafPaths`. */
  leaf?: number;
}

export type CompileResult = { ok: true; policy: CompiledPolicy } | { ok: false; error: PolicyProblem };

export interface ConditionResult {
  /** Human-readable, e.g. `prefix "ord"` or `numeric > 100 and <= 200`. */
  condition: string;
  held: boolean;
}

export interface KeyExplanation {
  /** e.g. "customer.interests" or "price_usd". */
  path: string;
  matched: boolean;
  /** The value(s) looked at, rendered as JSON text; [] when absent. */
  seen: string[];
  conditions: ConditionResult[];
  /** e.g. "attribute is Binary: never matches". */
  note?: string;
}

export type ExplanationNode =
  | { kind: "and"; matched: boolean; children: ExplanationNode[] }
  | { kind: "or"; matched: boolean; children: ExplanationNode[] }
  | ({ kind: "key" } & KeyExplanation)
  | { kind: "unparsable-body"; matched: false; note: string };

/** The verdict alone (evaluateFilterPolicy). */
export interface Verdict {
  readonly match: boolean;
}

export interface Evaluation {
  match: boolean;
  explanation: ExplanationNode;
}

// ---- internal: the compiled form ----------------------------------------------------------------

/** A JSON leaf value as a policy compares it. */
export type Scalar = string | number | boolean | null;

/** One entry of a key's value list, as validated ("String value matching", "Numeric value matching", "Key matching", "IP address matching"). */
export type ConditionSpec =
  | { kind: "equals"; value: Scalar }
  | { kind: "prefix" | "suffix"; value: string; ignoreCase: boolean }
  | { kind: "equals-ignore-case"; value: string }
  | { kind: "wildcard"; pattern: string; segments: string[] }
  | { kind: "anything-but"; values: (string | number)[] }
  | {
      kind: "anything-but-pattern";
      operator: "prefix" | "suffix" | "equals-ignore-case" | "wildcard";
      patterns: string[];
      wildcards: string[][];
    }
  | { kind: "numeric"; lower?: NumericBound; upper?: NumericBound; equals?: number }
  | { kind: "exists"; value: boolean }
  | { kind: "cidr"; text: string; range: IpRange };

export interface NumericBound {
  value: number;
  inclusive: boolean;
}

/** A CIDR block: the network's words and mask, 1 word for IPv4, 4 for IPv6. */
export interface IpRange {
  version: 4 | 6;
  network: number[];
  mask: number[];
}

export interface Condition {
  spec: ConditionSpec;
  /** Human-readable form for explanations. */
  text: string;
  /** Whether one present value satisfies it (unused for `exists`, which is about presence). */
  test: (value: Scalar) => boolean;
}

export interface Leaf {
  /** Attribute name (MessageAttributes) or dotted path into the body (MessageBody). */
  path: string;
  /** Where the key's value list is in the policy, e.g. `$.detail.state`. */
  jsonPath: string;
  conditions: Condition[];
  /** Any condition other than `exists` holds for this value. */
  matchValue: (value: Scalar) => boolean;
  /** `{"exists": true}` is among the conditions: any present value satisfies the key. */
  existsTrue: boolean;
  /** `{"exists": false}` is among the conditions: absence satisfies the key. */
  existsFalse: boolean;
}

/** Keys that must all hold, and `$or` groups of which one branch must hold each ("AND/OR logic"). */
export interface AndGroup {
  leaves: Leaf[];
  ors: OrGroup[];
}

export interface OrGroup {
  jsonPath: string;
  branches: AndGroup[];
}
