import { parseCidr } from "./cidr";
import { FILTER_POLICY_LIMITS } from "./limits";
import { compileLeaf, parseWildcard } from "./matchers";
import { OPERATOR_NAMES } from "./operator-names";
import type {
  AndGroup,
  ConditionSpec,
  FilterPolicyScope,
  NumericBound,
  PathNode,
  PolicyBudget,
  PolicyProblem,
} from "./types";
import { isRecord } from "../is-record";

/**
 * Validation of a parsed policy, with AWS's reasons, and its translation into an AND/OR tree of keys.
 * The checks run in the order AWS applies them as far as its answers show: size, then the scope's
 * nesting rule, then each key's value list in document order, then the key count and the complexity.
 */

export const { maxKeys, maxCombinations, maxBytes } = FILTER_POLICY_LIMITS;

/** A rejected policy: AWS's reason and where. */
export class PolicyError extends Error {
  constructor(
    readonly reason: string,
    readonly path: string,
  ) {
    super(reason);
  }
}

const fail = (reason: string, path: string): never => {
  throw new PolicyError(reason, path);
};

type Json = unknown;
type JsonObject = Record<string, Json>;

const isScalar = (v: Json): v is string | number | boolean | null =>
  v === null || typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));

/** `$.key`, or `$["odd key"]` for keys that are not plain identifiers. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** How the parser showing AWS's reasons prints a token: a number as written, `{`/`[` for containers. */
function tokenText(v: Json): string {
  if (v === undefined) return "]";
  if (Array.isArray(v)) return "[";
  if (isRecord(v)) return "{";
  return typeof v === "string" ? v : String(v);
}

/**
 * "AND/OR logic" → "OR operator": `"$or"` is the OR operator only when its value is an array of at
 * least two objects, none of which uses an operator name as a key; otherwise it is an ordinary key.
 */
export function isOrOperator(key: string, value: Json): value is JsonObject[] {
  return (
    key === "$or" &&
    Array.isArray(value) &&
    value.length >= 2 &&
    value.every((branch) => isRecord(branch) && Object.keys(branch).every((k) => !OPERATOR_NAMES.has(k)))
  );
}

/**
 * "Numeric value matching": `=`, one bound, or a lower bound followed by an upper bound.
 *
 * Operands are not refused for their size or decimals. "Filter policy constraints" says "the value can
 * range from -10^9 to 10^9 (-1 billion to 1 billion), with five digits of accuracy after the decimal
 * point": a statement of what matching guarantees, not a reason AWS gives for rejecting a policy (AWS
 * accepts operands outside the range, as LocalStack's AWS-validated filter tests note). Matching
 * compares numbers at that accuracy (matchers.ts, normalizeNumber).
 */
function parseNumeric(value: Json, path: string): ConditionSpec {
  if (!Array.isArray(value)) return fail("Value of numeric must be an array.", path);
  const items: Json[] = value;
  const at = (i: number) => childPath(path, i);
  if (items.length === 0) fail("Invalid member in numeric match: ]", path);
  const op = items[0];
  if (typeof op !== "string") return fail(`Invalid member in numeric match: ${tokenText(op)}`, at(0));
  const operand = (i: number, name: string): number => {
    const v = items[i];
    if (typeof v !== "number" || !Number.isFinite(v))
      return fail(`Value of ${name} must be numeric`, at(Math.min(i, items.length)));
    return v;
  };
  switch (op) {
    case "=": {
      const equals = operand(1, "equals");
      if (items.length > 2) fail("Too many elements in numeric expression", at(2));
      return { kind: "numeric", equals };
    }
    case "<":
    case "<=": {
      const upper: NumericBound = { value: operand(1, op), inclusive: op === "<=" };
      if (items.length > 2) fail("Too many elements in numeric expression", at(2));
      return { kind: "numeric", upper };
    }
    case ">":
    case ">=": {
      const lower: NumericBound = { value: operand(1, op), inclusive: op === ">=" };
      if (items.length === 2) return { kind: "numeric", lower };
      const op2 = items[2];
      if (typeof op2 !== "string") return fail(`Bad value in numeric range: ${tokenText(op2)}`, at(2));
      if (op2 !== "<" && op2 !== "<=") return fail(`Bad numeric range operator: ${op2}`, at(2));
      const upper: NumericBound = { value: operand(3, op2), inclusive: op2 === "<=" };
      if (items.length > 4) fail("Too many terms in numeric range expression", at(4));
      if (!(lower.value < upper.value)) fail("Bottom must be less than top", at(3));
      return { kind: "numeric", lower, upper };
    }
    default:
      return fail(`Unrecognized numeric range operator: ${op}`, at(0));
  }
}

type PatternOperator = "prefix" | "suffix" | "equals-ignore-case" | "wildcard";

function wildcardSegments(pattern: string, path: string): string[] {
  const parsed = parseWildcard(pattern);
  return parsed.ok ? parsed.segments : fail(parsed.reason, path);
}

/** "Anything-but matching": a string, a number, a list of either, or one string operator to negate. */
function parseAnythingBut(value: Json, path: string): ConditionSpec {
  if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value)))
    return { kind: "anything-but", values: [value] };
  if (Array.isArray(value)) {
    const items: Json[] = value;
    let strings = 0;
    let numbers = 0;
    items.forEach((item, i) => {
      if (typeof item === "string") strings++;
      else if (typeof item === "number" && Number.isFinite(item)) numbers++;
      else fail("Inside anything but list, start|null|boolean is not supported.", childPath(path, i));
    });
    if (strings > 0 === numbers > 0)
      fail("Inside anything but list, either all values are number or string, mixed type is not supported", path);
    return { kind: "anything-but", values: items as (string | number)[] };
  }
  if (!isRecord(value)) return fail("Value of anything-but must be an array or single string/number value.", path);
  const keys = Object.keys(value);
  const operator = keys[0];
  if (operator === undefined) return fail("Anything-But expression name not found", path);
  const at = childPath(path, operator);
  // The guide now documents suffix and wildcard under anything-but besides prefix and equals-ignore-case.
  if (operator !== "prefix" && operator !== "suffix" && operator !== "equals-ignore-case" && operator !== "wildcard") {
    return fail(`Unsupported anything-but pattern: ${operator}`, at);
  }
  const op: PatternOperator = operator;
  const raw = value[op];
  let patterns: string[];
  if (typeof raw === "string") {
    patterns = [raw];
  } else if (Array.isArray(raw)) {
    const items: Json[] = raw;
    if (items.length === 0) fail("Empty arrays are not allowed", at);
    patterns = items.map((item, i) => {
      if (typeof item === "string") return item;
      const itemPath = childPath(at, i);
      if (op === "wildcard") return fail("wildcard match pattern must be a string", itemPath);
      if (op === "equals-ignore-case")
        return fail(
          "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
          itemPath,
        );
      if (item === null) return fail("Null prefix/suffix not allowed", itemPath);
      return fail("prefix/suffix match pattern must be a string", itemPath);
    });
  } else {
    return fail(`${op} match pattern must be a string`, at);
  }
  if (keys.length > 1) fail("Only one key allowed in match expression", childPath(path, keys[1] ?? ""));
  const wildcards = op === "wildcard" ? patterns.map((p) => wildcardSegments(p, at)) : [];
  return { kind: "anything-but-pattern", operator: op, patterns, wildcards };
}

/** `prefix`/`suffix` take a string, or `{"equals-ignore-case": string}` to ignore case. */
function parsePrefixOrSuffix(kind: "prefix" | "suffix", value: Json, path: string): ConditionSpec {
  if (typeof value === "string") return { kind, value, ignoreCase: false };
  if (!isRecord(value)) return fail(`${kind} match pattern must be a string`, path);
  const keys = Object.keys(value);
  const name = keys[0];
  const title = kind === "prefix" ? "Prefix" : "Suffix";
  if (name === undefined) return fail(`${title} expression name not found`, path);
  if (name !== "equals-ignore-case") return fail(`Unsupported ${kind} pattern: ${name}`, childPath(path, name));
  const inner = value[name];
  if (typeof inner !== "string")
    return fail("equals-ignore-case match pattern must be a string", childPath(path, name));
  if (keys.length > 1) fail("Only one key allowed in match expression", childPath(path, keys[1] ?? ""));
  return { kind, value: inner, ignoreCase: true };
}

/** One entry of a key's value list: a value to match exactly, or a one-key operator object. */
function parseCondition(item: Json, path: string): ConditionSpec {
  if (isScalar(item)) return { kind: "equals", value: item };
  if (!isRecord(item)) return fail("Match value must be String, number, true, false, or null", path);
  const keys = Object.keys(item);
  const name = keys[0];
  if (name === undefined) return fail("Match expression name not found", path);
  const value = item[name];
  const at = childPath(path, name);
  let spec: ConditionSpec;
  switch (name) {
    case "prefix":
    case "suffix":
      spec = parsePrefixOrSuffix(name, value, at);
      break;
    case "equals-ignore-case":
      if (typeof value !== "string") return fail("equals-ignore-case match pattern must be a string", at);
      spec = { kind: "equals-ignore-case", value };
      break;
    case "wildcard":
      if (typeof value !== "string") return fail("wildcard match pattern must be a string", at);
      spec = { kind: "wildcard", pattern: value, segments: wildcardSegments(value, at) };
      break;
    case "anything-but":
      spec = parseAnythingBut(value, at);
      break;
    case "numeric":
      spec = parseNumeric(value, at);
      break;
    case "exists":
      if (typeof value !== "boolean") return fail("exists match pattern must be either true or false.", at);
      spec = { kind: "exists", value };
      break;
    case "cidr": {
      // AWS words a cidr that is not a string as it does a bad prefix.
      if (typeof value !== "string") return fail("prefix match pattern must be a string", at);
      const parsed = parseCidr(value);
      if (!parsed.ok) return fail(parsed.reason, at);
      spec = { kind: "cidr", text: value, range: parsed.range };
      break;
    }
    default:
      return fail(`Unrecognized match type ${name}`, at);
  }
  if (keys.length > 1) fail("Only one key allowed in match expression", childPath(path, keys[1] ?? ""));
  return spec;
}

/**
 * "Filter policy constraints" → attribute-based filtering: SNS does not accept nested policies in the
 * MessageAttributes scope. A key whose value is an object holding lists or objects is nesting; an object
 * of plain values is left to the structural check, which AWS answers with "must be an object or an array".
 */
function findNesting(policy: JsonObject, path: string): string | undefined {
  for (const [key, value] of Object.entries(policy)) {
    const at = childPath(path, key);
    if (isOrOperator(key, value)) {
      for (let i = 0; i < value.length; i++) {
        const found = findNesting(value[i] ?? {}, childPath(at, i));
        if (found) return found;
      }
    } else if (isRecord(value) && Object.values(value).some((v) => Array.isArray(v) || isRecord(v))) {
      return at;
    }
  }
  return undefined;
}

interface Walk {
  scope: FilterPolicyScope;
  leafPaths: Set<string>;
}

/**
 * Builds the AND group of one policy object and returns its complexity. "Filter policy constraints":
 * the total combination multiplies the number of values of each key; for payload-based policies a key
 * nested n levels deep counts its values n times over; the branches of an `$or` add up.
 */
function walkObject(
  walk: Walk,
  object: JsonObject,
  prefix: string | undefined,
  depth: number,
  jsonPath: string,
  isRoot: boolean,
): { group: AndGroup; combinations: number } {
  const group: AndGroup = { leaves: [], ors: [] };
  let combinations = 1;
  const entries = Object.entries(object);
  if (entries.length === 0 && !isRoot) fail("Empty objects are not allowed", jsonPath);
  for (const [key, value] of entries) {
    const at = childPath(jsonPath, key);
    const path = walk.scope === "MessageAttributes" || prefix === undefined ? key : `${prefix}.${key}`;
    if (isOrOperator(key, value)) {
      // An $or branch reads the message at the same level as the keys beside the $or.
      const branches = value.map((branch, i) => walkObject(walk, branch, prefix, depth, childPath(at, i), false));
      group.ors.push({ jsonPath: at, branches: branches.map((b) => b.group) });
      combinations *= branches.reduce((sum, b) => sum + b.combinations, 0);
    } else if (Array.isArray(value)) {
      const items: Json[] = value;
      if (items.length === 0) fail("Empty arrays are not allowed", at);
      const specs = items.map((item, i) => parseCondition(item, childPath(at, i)));
      walk.leafPaths.add(path);
      group.leaves.push(compileLeaf(path, at, specs));
      combinations *= items.length * depth;
    } else if (isRecord(value)) {
      // A nested object is the same as dotted keys ("a": {"b": ...} is "a.b"): its keys join this AND.
      const nested = walkObject(walk, value, path, depth + 1, at, false);
      group.leaves.push(...nested.group.leaves);
      group.ors.push(...nested.group.ors);
      combinations *= nested.combinations;
    } else {
      fail(`"${key}" must be an object or an array`, at);
    }
  }
  return { group, combinations };
}

/** One rule cannot name the same path twice, e.g. `"a.b"` beside `"a": {"b": ...}`, or a key and the same key in an $or branch. */
function checkRepeatedPaths(group: AndGroup, inherited: ReadonlySet<string>): void {
  const seen = new Set(inherited);
  for (const leaf of group.leaves) {
    if (seen.has(leaf.path)) fail(`Path \`${leaf.path}\` cannot be allowed multiple times`, leaf.jsonPath);
    seen.add(leaf.path);
  }
  for (const or of group.ors) for (const branch of or.branches) checkRepeatedPaths(branch, seen);
}

function countDistinctLeaves(group: AndGroup, into = new Set<string>()): Set<string> {
  for (const leaf of group.leaves) into.add(leaf.path);
  for (const or of group.ors) for (const branch of or.branches) countDistinctLeaves(branch, into);
  return into;
}

export interface ParsedPolicy {
  root: AndGroup;
  budget: PolicyBudget;
  leafPaths: Map<string, number>;
  pathTree: PathNode;
}

/** The tree of dot-separated segments of the body paths, each named path numbered. */
function buildPathTree(leafPaths: ReadonlyMap<string, number>): PathNode {
  const root: PathNode = { children: new Map() };
  for (const [path, index] of leafPaths) {
    let node = root;
    for (const segment of path.split(".")) {
      let child = node.children.get(segment);
      if (!child) {
        child = { children: new Map() };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.leaf = index;
  }
  return root;
}

/** Validates a parsed policy of `bytes` bytes for a scope; throws PolicyError with AWS's reason. */
export function parsePolicy(policy: Json, scope: FilterPolicyScope, bytes: number): ParsedPolicy {
  if (bytes > maxBytes) fail(`Filter policy is larger than the maximum size of ${maxBytes} bytes`, "$");
  if (!isRecord(policy)) return fail("Filter is not an object", "$");
  if (scope === "MessageAttributes") {
    const nested = findNesting(policy, "$");
    // This reason stands on its own in AWS's answer, without the "FilterPolicy: " prefix.
    if (nested) fail("Filter policy scope MessageAttributes does not support nested filter policy", nested);
  }
  const walk: Walk = { scope, leafPaths: new Set() };
  const { group, combinations } = walkObject(walk, policy, undefined, 1, "$", true);
  checkRepeatedPaths(group, new Set());
  // "Filter policy constraints": at most five keys; for a nested policy only the leaf keys count.
  const keys = countDistinctLeaves(group).size;
  if (keys > maxKeys) fail(`Filter policy can not have more than ${maxKeys} keys`, "$");
  if (combinations > maxCombinations) fail("Filter policy is too complex", "$");
  const leafPaths = new Map([...walk.leafPaths].map((path, i) => [path, i] as const));
  return {
    root: group,
    budget: {
      keys,
      maxKeys,
      combinations: Object.keys(policy).length === 0 ? 0 : combinations,
      maxCombinations,
      bytes,
      maxBytes,
    },
    leafPaths,
    pathTree: buildPathTree(leafPaths),
  };
}

/** A PolicyProblem from a PolicyError, or undefined for any other error. */
export function toProblem(err: unknown): PolicyProblem | undefined {
  return err instanceof PolicyError ? { reason: err.reason, path: err.path } : undefined;
}
