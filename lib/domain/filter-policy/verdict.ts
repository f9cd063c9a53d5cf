import { consistentlyHolds } from "./match";
import { normalizeNumber } from "./matchers";
import { bodyValues, escapeForPolicy, readNumber } from "./message";
import type { AndGroup, FilterPolicyScope, Leaf, MessageAttribute, PathNode, PolicyVerdict, Scalar } from "./types";

/**
 * The verdict alone, compiled once per policy into closures: what evaluateFilterPolicy runs for every
 * message. It reads the message where the policy looks and nothing else, builds no list of values and
 * no explanation, and must answer exactly as match.ts does over message.ts's values (explainFilterPolicy,
 * and a unit test that runs both over the conformance cases and generated messages).
 */

type Attributes = Record<string, MessageAttribute>;
type Test<T> = (value: T) => boolean;

const never = () => false;
const always = () => true;
const hasOwn = Object.prototype.hasOwnProperty;

function allOf<T>(tests: Test<T>[]): Test<T> {
  const [a, b, c] = tests;
  if (!a) return always;
  if (!b) return a;
  if (!c) return (v) => a(v) && b(v);
  if (tests.length === 3) return (v) => a(v) && b(v) && c(v);
  return (v) => {
    for (let i = 0; i < tests.length; i++) if (!(tests[i] as Test<T>)(v)) return false;
    return true;
  };
}

function anyOf<T>(tests: Test<T>[]): Test<T> {
  const [a, b] = tests;
  if (!a) return never;
  if (!b) return a;
  if (tests.length === 2) return (v) => a(v) || b(v);
  return (v) => {
    for (let i = 0; i < tests.length; i++) if ((tests[i] as Test<T>)(v)) return true;
    return false;
  };
}

function compileGroup<T>(group: AndGroup, leafTest: (leaf: Leaf) => Test<T>): Test<T> {
  return allOf([
    ...group.leaves.map(leafTest),
    ...group.ors.map((or) => anyOf(or.branches.map((branch) => compileGroup(branch, leafTest)))),
  ]);
}

/** A key's conditions split by the type of value they can hold for, as match.ts's valueHolds decides them. */
interface ValueTests {
  string: Test<string>;
  number: Test<number>;
  other: Test<boolean | null>;
  /** `string` over an attribute's string as published, escaped first when that can matter (escapeForPolicy). */
  attributeString: Test<string>;
  /** `string` over text[start, end), without cutting it out when only exact strings or `exists` can hold. */
  stringAt: (text: string, start: number, end: number) => boolean;
}

function valueTests(leaf: Leaf): ValueTests {
  const strings = new Set<string>();
  const numbers = new Set<number>();
  const stringTests: Test<Scalar>[] = [];
  const numberTests: Test<Scalar>[] = [];
  let onTrue = false;
  let onFalse = false;
  let onNull = false;
  let everyNumber = false;
  let everyOther = false;
  for (const { spec, test } of leaf.conditions) {
    switch (spec.kind) {
      case "exists":
        break;
      case "equals":
        if (typeof spec.value === "string") strings.add(spec.value);
        else if (typeof spec.value === "number") numbers.add(normalizeNumber(spec.value));
        else if (spec.value === true) onTrue = true;
        else if (spec.value === false) onFalse = true;
        else onNull = true;
        break;
      case "numeric":
        numberTests.push(test);
        break;
      case "anything-but":
        stringTests.push(test);
        numberTests.push(test);
        everyOther = true;
        break;
      case "anything-but-pattern":
        // Only a string can have the excluded shape.
        stringTests.push(test);
        everyNumber = true;
        everyOther = true;
        break;
      default:
        // prefix, suffix, equals-ignore-case, wildcard, cidr: strings only.
        stringTests.push(test);
    }
  }
  const existsTrue = leaf.existsTrue;
  const exactString = strings.size === 1 ? [...strings][0] : undefined;
  const anyString = anyOf(stringTests);
  const anyNumber = anyOf(numberTests);
  const string: Test<string> =
    exactString !== undefined
      ? stringTests.length === 0 && !existsTrue
        ? (s) => s === exactString
        : (s) => (existsTrue && s !== "") || s === exactString || anyString(s)
      : strings.size > 0
        ? (s) => (existsTrue && s !== "") || strings.has(s) || anyString(s)
        : existsTrue
          ? (s) => s !== "" || anyString(s)
          : anyString;
  const number: Test<number> =
    existsTrue || everyNumber
      ? always
      : numbers.size > 0
        ? (n) => numbers.has(normalizeNumber(n)) || anyNumber(n)
        : anyNumber;
  const other: Test<boolean | null> = everyOther
    ? always
    : (v) => (v === null ? onNull : existsTrue || (v ? onTrue : onFalse));
  // Escaping changes only a string with `"` or `\`, adding a backslash: exact strings without either
  // cannot equal it escaped or not, so they need no escaping.
  const plain = stringTests.length === 0 && [...strings].every((x) => !x.includes("\\") && !x.includes('"'));
  const attributeString: Test<string> = plain ? string : (s) => string(escapeForPolicy(s));
  const exact = [...strings];
  const stringAt =
    stringTests.length === 0
      ? (text: string, start: number, end: number) => {
          if (existsTrue && end > start) return true;
          for (let i = 0; i < exact.length; i++) {
            const x = exact[i] as string;
            if (x.length === end - start && text.startsWith(x, start)) return true;
          }
          return false;
        }
      : (text: string, start: number, end: number) => string(text.slice(start, end));
  return { string, number, other, attributeString, stringAt };
}

const held = 2;
const seen = 1;
const none = 0;

/**
 * A String.Array's elements (nested arrays flattened, objects skipped, strings escaped as for any
 * attribute): `held` when one of them satisfies the key, `seen` when there were values but none did.
 */
function arrayHolds(items: unknown[], tests: ValueTests): number {
  let found = none;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (Array.isArray(item)) {
      const inner = arrayHolds(item, tests);
      if (inner === held) return held;
      if (inner === seen) found = seen;
    } else if (typeof item === "string") {
      found = seen;
      if (tests.string(escapeForPolicy(item))) return held;
    } else if (typeof item === "number") {
      found = seen;
      if (tests.number(item)) return held;
    } else if (typeof item === "boolean" || item === null) {
      found = seen;
      if (tests.other(item)) return held;
    }
  }
  return found;
}

const unread = -1;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

const powersOfTen = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * A JSON number without exponent, from its text at [start, end), without cutting it out: with at most
 * 15 digits, and so at most 22 after the point, digits / 10^decimals is exact then rounded once, the
 * same double Number() reads. Longer ones are left to Number().
 */
function decimal(text: string, start: number, end: number): number {
  let i = start;
  const negative = text.charCodeAt(i) === 0x2d;
  if (negative) i++;
  if (end - i > 15) return Number(text.slice(start, end));
  let digits = 0;
  let decimals = -1;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) decimals = 0;
    else {
      digits = digits * 10 + (c - 0x30);
      if (decimals >= 0) decimals++;
    }
  }
  const n = decimals > 0 ? digits / (powersOfTen[decimals] as number) : digits;
  return negative ? -n : n;
}

/**
 * arrayHolds over a String.Array's text without JSON.parse, for the usual one: a flat JSON array of
 * strings without escapes, numbers, booleans and nulls. Anything else (an escape, a nested array, an
 * object, text that is not JSON) is `unread`, left to JSON.parse. The whole text is read before it
 * answers, since text that is not JSON holds for nothing.
 */
function scanStringArray(text: string, tests: ValueTests): number {
  const end = text.length;
  let i = 0;
  while (isSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 0x5b) return unread;
  i++;
  while (isSpace(text.charCodeAt(i))) i++;
  let found = none;
  if (text.charCodeAt(i) === 0x5d) {
    i++;
  } else {
    for (;;) {
      const c = text.charCodeAt(i);
      let holds: boolean;
      if (c === 0x22) {
        let j = i + 1;
        for (;;) {
          const d = text.charCodeAt(j);
          if (d === 0x22) break;
          // An escape, a control character or the end of the text.
          if (d === 0x5c || d < 0x20 || j >= end) return unread;
          j++;
        }
        holds = found !== held && tests.stringAt(text, i + 1, j);
        i = j + 1;
      } else if (c === 0x2d || isDigit(c)) {
        let j = c === 0x2d ? i + 1 : i;
        const first = text.charCodeAt(j);
        if (first === 0x30) j++;
        else if (isDigit(first)) while (isDigit(text.charCodeAt(j))) j++;
        else return unread;
        if (text.charCodeAt(j) === 0x2e) {
          j++;
          if (!isDigit(text.charCodeAt(j))) return unread;
          while (isDigit(text.charCodeAt(j))) j++;
        }
        const e = text.charCodeAt(j);
        if (e === 0x65 || e === 0x45) {
          j++;
          const sign = text.charCodeAt(j);
          if (sign === 0x2b || sign === 0x2d) j++;
          if (!isDigit(text.charCodeAt(j))) return unread;
          while (isDigit(text.charCodeAt(j))) j++;
        }
        holds =
          found !== held && tests.number(e === 0x65 || e === 0x45 ? Number(text.slice(i, j)) : decimal(text, i, j));
        i = j;
      } else if (text.startsWith("true", i)) {
        holds = found !== held && tests.other(true);
        i += 4;
      } else if (text.startsWith("false", i)) {
        holds = found !== held && tests.other(false);
        i += 5;
      } else if (text.startsWith("null", i)) {
        holds = found !== held && tests.other(null);
        i += 4;
      } else {
        return unread;
      }
      if (holds) found = held;
      else if (found === none) found = seen;
      while (isSpace(text.charCodeAt(i))) i++;
      const next = text.charCodeAt(i);
      i++;
      if (next === 0x5d) break;
      if (next !== 0x2c) return unread;
      while (isSpace(text.charCodeAt(i))) i++;
    }
  }
  while (isSpace(text.charCodeAt(i))) i++;
  return i === end ? found : unread;
}

/**
 * message.ts's readNumber, without Number()'s string conversion for the usual Number attribute: an
 * optional sign, at most 15 digits and an optional point (so exact, as decimal() says).
 */
function attributeNumber(text: string): number | undefined {
  const end = text.length;
  let i = 0;
  const sign = text.charCodeAt(0);
  if (sign === 0x2d || sign === 0x2b) i++;
  if (end - i > 16 || end === i) return readNumber(text);
  let digits = 0;
  let count = 0;
  let decimals = -1;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e && decimals === -1) decimals = 0;
    else if (isDigit(c)) {
      digits = digits * 10 + (c - 0x30);
      count++;
      if (decimals >= 0) decimals++;
    } else return readNumber(text);
  }
  if (count === 0 || count > 15) return readNumber(text);
  const n = decimals > 0 ? digits / (powersOfTen[decimals] as number) : digits;
  return sign === 0x2d ? -n : n;
}

function hasAnyAttribute(attributes: Attributes): boolean {
  for (const name in attributes) if (hasOwn.call(attributes, name)) return true;
  return false;
}

function readArray(text: string): unknown[] | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** One key over attributes, as message.ts reads them (AttributeValues) and match.ts's leafHolds judges them. */
function attributeLeaf(leaf: Leaf): Test<Attributes> {
  const name = leaf.path;
  // A name Object.prototype also has ("constructor") must be the message's own.
  const inherited = name in Object.prototype;
  const tests = valueTests(leaf);
  const existsFalse = leaf.existsFalse;
  return (attributes) => {
    const attribute = inherited && !hasOwn.call(attributes, name) ? undefined : attributes[name];
    // Absent: `"exists": false` holds, but not for a message without any attribute at all.
    if (!attribute) return existsFalse && hasAnyAttribute(attributes);
    switch (attribute.Type) {
      case "String":
        return tests.attributeString(attribute.Value);
      case "Number": {
        const n = attributeNumber(attribute.Value);
        return n === undefined ? tests.attributeString(attribute.Value) : tests.number(n);
      }
      case "String.Array": {
        let found = scanStringArray(attribute.Value, tests);
        if (found === unread) {
          const items = readArray(attribute.Value);
          // Unreadable: there, yet no value, so nothing holds, `"exists": false` included.
          if (!items) return false;
          found = arrayHolds(items, tests);
        }
        return found === none ? existsFalse : found === held;
      }
      default:
        // Binary, or a type SNS does not know: ignored, as if absent.
        return existsFalse;
    }
  };
}

/**
 * The body side of the policy's path tree, with each node's keys as a body may spell them: its segments,
 * and the dotted keys that stand for several levels ({"a.b": 1} is {"a": {"b": 1}}).
 */
interface BodyNode {
  keys: string[];
  /** Keys Object.prototype also has, which must be the object's own. */
  inherited: boolean[];
  targets: BodyNode[];
  /** The leaf path's number, or -1. */
  leaf: number;
}

function bodyNode(node: PathNode): BodyNode {
  const result: BodyNode = { keys: [], inherited: [], targets: [], leaf: node.leaf ?? -1 };
  const add = (key: string, target: PathNode) => {
    result.keys.push(key);
    result.inherited.push(key in Object.prototype);
    result.targets.push(bodyNode(target));
  };
  const dotted = (prefix: string, at: PathNode) => {
    for (const [segment, child] of at.children) {
      add(`${prefix}.${segment}`, child);
      dotted(`${prefix}.${segment}`, child);
    }
  };
  for (const [segment, child] of node.children) {
    add(segment, child);
    dotted(segment, child);
  }
  return result;
}

/** Marks for one evaluation: a mark equal to `evaluation` is set, any other is not, so nothing is cleared between bodies. */
interface BodyScratch {
  evaluation: number;
  /** Per leaf path: a value was found there. */
  found: Int32Array;
  /** Per key of the policy: one of its values holds. */
  holds: Int32Array;
  /**
   * The path of the values found inside an element of an array of objects (or of arrays), -1 when none
   * were, -2 when several paths had some: then the keys must also match within one element.
   */
  elementPath: number;
}

function compileBody(
  root: AndGroup,
  leafPaths: ReadonlyMap<string, number>,
  pathTree: PathNode,
): Test<Record<string, unknown>> {
  const leaves: Leaf[] = [];
  const collect = (group: AndGroup) => {
    leaves.push(...group.leaves);
    for (const or of group.ors) for (const branch of or.branches) collect(branch);
  };
  collect(root);
  // The keys of each path (one path may have a key in several `$or` branches) and their tests.
  const keysOfPath: number[][] = [...leafPaths.keys()].map(() => []);
  leaves.forEach((leaf, i) => keysOfPath[leafPaths.get(leaf.path) as number]?.push(i));
  const tests = leaves.map(valueTests);
  const scratch: BodyScratch = {
    evaluation: 0,
    found: new Int32Array(leafPaths.size),
    holds: new Int32Array(leaves.length),
    elementPath: -1,
  };
  const tree = bodyNode(pathTree);

  const record = (path: number, value: Scalar, inElement: boolean) => {
    const evaluation = scratch.evaluation;
    scratch.found[path] = evaluation;
    if (inElement && scratch.elementPath !== path) scratch.elementPath = scratch.elementPath === -1 ? path : -2;
    const keys = keysOfPath[path] as number[];
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k] as number;
      if (scratch.holds[key] === evaluation) continue;
      const t = tests[key] as ValueTests;
      const holds =
        typeof value === "string" ? t.string(value) : typeof value === "number" ? t.number(value) : t.other(value);
      if (holds) scratch.holds[key] = evaluation;
    }
  };
  // As message.ts's BodyValues visits a body, in another order (which a verdict does not depend on).
  const visitObject = (object: Record<string, unknown>, node: BodyNode, inElement: boolean) => {
    const keys = node.keys;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      if (node.inherited[i] && !hasOwn.call(object, key)) continue;
      const value = object[key];
      if (value !== undefined) visit(value, node.targets[i] as BodyNode, inElement);
    }
  };
  const visit = (value: unknown, node: BodyNode, inElement: boolean): void => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        visit(item, node, inElement || (item !== null && typeof item === "object"));
      }
    } else if (value !== null && typeof value === "object") {
      if (node.keys.length > 0) visitObject(value as Record<string, unknown>, node, inElement);
    } else if (
      node.leaf >= 0 &&
      (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null)
    ) {
      record(node.leaf, value, inElement);
    }
  };

  const holds = compileGroup<BodyScratch>(root, (leaf) => {
    const key = leaves.indexOf(leaf);
    const path = leafPaths.get(leaf.path) as number;
    const existsFalse = leaf.existsFalse;
    return (s) => (s.found[path] === s.evaluation ? s.holds[key] === s.evaluation : existsFalse);
  });
  const policy = { leafPaths, pathTree };
  return (body) => {
    if (scratch.evaluation === 0x7fffffff) {
      scratch.found.fill(0);
      scratch.holds.fill(0);
      scratch.evaluation = 0;
    }
    scratch.evaluation++;
    scratch.elementPath = -1;
    visitObject(body, tree, false);
    if (!holds(scratch)) return false;
    // Values inside arrays of objects: the keys must also hold within one element ("array consistency"),
    // which only two keys with such values can fail.
    const elementPath = scratch.elementPath;
    if (elementPath === -1 || (elementPath >= 0 && (keysOfPath[elementPath] as number[]).length === 1)) return true;
    return consistentlyHolds(root, bodyValues(body, policy));
  };
}

/**
 * What a key needs in a body's text without a backslash, where keys and strings are spelled as they
 * are: one of the key's value texts when all its conditions are plain strings (exact `"v"`, prefix
 * `"p`, suffix `s"`), else the end of its key, `x"` for a path that ends "x", nested or dotted.
 */
function neededTexts(leaf: Leaf): string[] {
  const key = [`${leaf.path.split(".").pop() ?? ""}"`];
  if (leaf.existsTrue) return key;
  const texts: string[] = [];
  for (const { spec } of leaf.conditions) {
    if (spec.kind === "equals" && typeof spec.value === "string") texts.push(`"${spec.value}"`);
    else if (spec.kind === "prefix" && !spec.ignoreCase) texts.push(`"${spec.value}`);
    else if (spec.kind === "suffix" && !spec.ignoreCase) texts.push(`${spec.value}"`);
    else return key;
  }
  return texts;
}

/**
 * A test of a body's text before it is parsed, for the keys every message needs (those of the top AND
 * without `"exists": false`): each needs one of its neededTexts. With a backslash in the text (an
 * escape can spell a key or a string differently) the text is parsed.
 */
function bodyTextTest(root: AndGroup): Test<string> {
  const needed = root.leaves.filter((leaf) => !leaf.existsFalse).map(neededTexts);
  if (needed.length === 0) return always;
  const includesOne = (text: string, texts: string[]) => {
    for (let i = 0; i < texts.length; i++) if (text.includes(texts[i] as string)) return true;
    return false;
  };
  return (text) => {
    if (text.includes("\\")) return true;
    for (let i = 0; i < needed.length; i++) if (!includesOne(text, needed[i] as string[])) return false;
    return true;
  };
}

export function compileVerdict(
  scope: FilterPolicyScope,
  root: AndGroup,
  leafPaths: ReadonlyMap<string, number>,
  pathTree: PathNode,
): PolicyVerdict {
  return {
    empty: root.leaves.length === 0 && root.ors.length === 0,
    attributes: scope === "MessageAttributes" ? compileGroup(root, attributeLeaf) : never,
    body: scope === "MessageBody" ? compileBody(root, leafPaths, pathTree) : never,
    bodyText: scope === "MessageBody" ? bodyTextTest(root) : always,
  };
}
