import type { CompiledPolicy, FilterMessage, MessageAttribute, PathNode, Scalar } from "./types";

/**
 * What a message offers the policy: for each path the policy names, the leaf values found there.
 *
 * Attributes ("Filter policy scope" → MessageAttributes): a String is a string, a Number a number, a
 * String.Array each of its elements ("String value matching": each element is a separate value);
 * Binary attributes are ignored, as if absent, and strings are compared with `"` and `\` escaped
 * ("Filter policy constraints").
 *
 * Body ("Message body filtering"): the body's JSON object, read down the paths the policy names. Keys
 * join with dots, so a policy key "a.b" finds {"a": {"b": v}} as well as {"a.b": v}. An array offers
 * each of its elements. Only leaf values count: a path that ends at an object has no value there.
 */

/** Array memberships of a value: pairs of (array id, element index), for arrays of objects or arrays. */
export type Trail = readonly number[];

const noTrail: Trail = [];

export interface MessageValues {
  values(path: string): readonly Scalar[];
  /** Parallel to values(path); only set when some value sits inside an array of objects. */
  trails(path: string): readonly Trail[] | undefined;
  /** Some value sits inside an array of objects, so keys must match within one element ("array consistency"). */
  readonly hasTrails: boolean;
  /** Why a path offers nothing, or offers values some conditions cannot use (for explanations). */
  note(path: string): string | undefined;
  /**
   * Whether `{"exists": false}` holds at a path that offers no value. Not for a message that carries
   * no attributes at all, nor for an attribute that is there but cannot be read (see attributeValues).
   */
  existsFalseHolds(path: string): boolean;
}

const numberText = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function flattenArray(items: unknown[], into: Scalar[]): boolean {
  let objects = false;
  for (const item of items) {
    if (Array.isArray(item)) objects = flattenArray(item, into) || objects;
    else if (item !== null && typeof item === "object") objects = true;
    else if (typeof item === "string" || typeof item === "number" || typeof item === "boolean" || item === null)
      into.push(item);
  }
  return objects;
}

const noValues: readonly Scalar[] = [];

export function readNumber(text: string): number | undefined {
  const n = Number(text);
  if (!Number.isFinite(n)) return undefined;
  // Number() also reads "", blanks and 0x/0o/0b literals; text that starts with 1-9, a sign or a dot is none of those.
  const first = text.charCodeAt(0);
  if ((first >= 0x31 && first <= 0x39) || first === 0x2d || first === 0x2b || first === 0x2e) return n;
  return numberText.test(text.trim()) ? n : undefined;
}

/**
 * A String.Array's elements, or undefined when its value is not a JSON array. SNS reads a String.Array
 * as the JSON array it must be ("Amazon SNS message attributes" → String.Array: "An array, formatted
 * as a string"); a value that is not one cannot be read, so no condition on its key holds, `exists`
 * included: the key is there (not absent) but offers no value.
 */
function readStringArray(text: string): { values: Scalar[]; objects: boolean } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const values: Scalar[] = [];
  const objects = flattenArray(parsed, values);
  return { values, objects };
}

/**
 * "Filter policy constraints" → attribute-based filtering: double quotes and backslashes in attribute
 * values must be double-escaped in the policy, or the policy does not match. So attribute strings are
 * compared in their escaped form: the value `say "hi"` matches the policy string `say \"hi\"`.
 */
export function escapeForPolicy(value: string): string {
  return value.includes('"') || value.includes("\\") ? value.replace(/["\\]/g, "\\$&") : value;
}

function escapeScalars(values: Scalar[]): Scalar[] {
  return values.map((v) => (typeof v === "string" ? escapeForPolicy(v) : v));
}

/** The values an attribute offers: read afresh on each call (a key reads its attribute once per message). */
function attributeScalars(attribute: MessageAttribute | undefined): readonly Scalar[] {
  if (!attribute) return noValues;
  switch (attribute.Type) {
    case "String":
      return [escapeForPolicy(attribute.Value)];
    case "Number":
      return [readNumber(attribute.Value) ?? escapeForPolicy(attribute.Value)];
    case "String.Array": {
      const read = readStringArray(attribute.Value);
      return read ? escapeScalars(read.values) : noValues;
    }
    default:
      // Binary, or a type SNS does not know: ignored.
      return noValues;
  }
}

const escapedNote =
  'double quotes and backslashes in attribute values are compared escaped (\\" and \\\\): the policy must double-escape them';

function attributeNote(attribute: MessageAttribute | undefined): string | undefined {
  if (!attribute) return undefined;
  switch (attribute.Type) {
    case "String":
      return escapeForPolicy(attribute.Value) === attribute.Value ? undefined : escapedNote;
    case "Number":
      return readNumber(attribute.Value) === undefined
        ? "Number attribute whose value is not a number: compared as a string"
        : undefined;
    case "String.Array": {
      const read = readStringArray(attribute.Value);
      if (!read)
        return "String.Array attribute that is not a JSON array: SNS cannot read it, so no condition on this key matches, not even exists";
      if (read.values.length === 0)
        return read.objects
          ? "String.Array of objects: objects are not compared"
          : "empty String.Array: no value to compare";
      if (read.objects) return "objects inside the String.Array are not compared";
      return read.values.some((v) => typeof v === "string" && escapeForPolicy(v) !== v) ? escapedNote : undefined;
    }
    case "Binary":
      return "attribute is Binary: never matches (SNS ignores Binary attributes)";
    default:
      return `attribute type ${String((attribute as { Type?: unknown }).Type)} is not compared`;
  }
}

/** The values of a message's attributes, read when a key asks for them. */
class AttributeValues implements MessageValues {
  readonly hasTrails = false;
  /**
   * "Key matching" (attribute-key-matching): `"exists": false` "only matches if at least one attribute
   * is present. An empty set of attributes results in the filter not matching."
   */
  private readonly none: boolean;

  constructor(private readonly attributes: Record<string, MessageAttribute>) {
    this.none = Object.keys(attributes).length === 0;
  }

  private attribute(name: string): MessageAttribute | undefined {
    return Object.prototype.hasOwnProperty.call(this.attributes, name) ? this.attributes[name] : undefined;
  }

  values(path: string): readonly Scalar[] {
    return attributeScalars(this.attribute(path));
  }

  trails(): undefined {
    return undefined;
  }

  note(path: string): string | undefined {
    if (this.none) return 'the message has no attributes at all: {"exists": false} does not match it either';
    return attributeNote(this.attribute(path));
  }

  existsFalseHolds(path: string): boolean {
    if (this.none) return false;
    const attribute = this.attribute(path);
    // Present but unreadable: not absent.
    return !(attribute?.Type === "String.Array" && readStringArray(attribute.Value) === undefined);
  }
}

export function attributeValues(attributes: Record<string, MessageAttribute>): MessageValues {
  return new AttributeValues(attributes);
}

/** Why a body that is not a JSON object never matches, in words. */
export function unparsableBodyNote(body: string | undefined): string {
  if (body === undefined) return "the message has no body to filter on";
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return "the body is not JSON, so a MessageBody policy never matches it";
  }
  const what = Array.isArray(parsed) ? "an array" : parsed === null ? "null" : `a ${typeof parsed}`;
  return `the body is JSON ${what}, not an object, so a MessageBody policy never matches it`;
}

/**
 * The body as a JSON object, or undefined ("Message body filtering": only a JSON object is filtered
 * on). Text that does not start with "{" cannot be one, so it is not parsed at all.
 */
export function parseBody(body: string | undefined): Record<string, unknown> | undefined {
  if (body === undefined) return undefined;
  let i = 0;
  for (let c = body.charCodeAt(0); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; c = body.charCodeAt(++i));
  if (body.charCodeAt(i) !== 0x7b) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A body object read down the policy's paths only. */
class BodyValues implements MessageValues {
  hasTrails = false;
  /** Per leaf path (by number): its values, and their array memberships. */
  private readonly found: (Scalar[] | undefined)[] = [];
  private readonly foundTrails: (Trail[] | undefined)[] = [];
  private containers: Set<number> | undefined;
  private nextArrayId = 0;

  constructor(
    root: Record<string, unknown>,
    private readonly leafPaths: ReadonlyMap<string, number>,
    tree: PathNode,
  ) {
    this.visitObject(root, tree, noTrail);
  }

  private visitObject(object: Record<string, unknown>, node: PathNode, trail: Trail): void {
    for (const key in object) {
      if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
      let child = node.children.get(key);
      // A body key with dots stands for several levels: {"a.b": 1} is {"a": {"b": 1}}.
      if (child === undefined && key.includes(".")) {
        let walked: PathNode | undefined = node;
        for (const segment of key.split(".")) walked = walked?.children.get(segment);
        child = walked;
      }
      if (child !== undefined) this.visit(object[key], child, trail);
    }
  }

  private visit(value: unknown, node: PathNode, trail: Trail): void {
    if (Array.isArray(value)) {
      const id = this.nextArrayId++;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        this.visit(item, node, item !== null && typeof item === "object" ? [...trail, id, i] : trail);
      }
    } else if (value !== null && typeof value === "object") {
      if (node.leaf !== undefined) (this.containers ??= new Set()).add(node.leaf);
      if (node.children.size > 0) this.visitObject(value as Record<string, unknown>, node, trail);
    } else if (
      node.leaf !== undefined &&
      (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null)
    ) {
      this.record(node.leaf, value, trail);
    }
  }

  private record(leaf: number, value: Scalar, trail: Trail): void {
    (this.found[leaf] ??= []).push(value);
    (this.foundTrails[leaf] ??= []).push(trail);
    if (trail.length > 0) this.hasTrails = true;
  }

  values(path: string): readonly Scalar[] {
    const leaf = this.leafPaths.get(path);
    return (leaf === undefined ? undefined : this.found[leaf]) ?? noValues;
  }

  trails(path: string): readonly Trail[] | undefined {
    const leaf = this.leafPaths.get(path);
    return this.hasTrails && leaf !== undefined ? this.foundTrails[leaf] : undefined;
  }

  note(path: string): string | undefined {
    const leaf = this.leafPaths.get(path);
    if (leaf === undefined || this.found[leaf] !== undefined || !this.containers?.has(leaf)) return undefined;
    return "the body has an object here: conditions apply to leaf values only";
  }

  existsFalseHolds(): boolean {
    return true;
  }
}

/** Reads a body object down the policy's paths only. */
export function bodyValues(
  root: Record<string, unknown>,
  policy: Pick<CompiledPolicy, "leafPaths" | "pathTree">,
): MessageValues {
  return new BodyValues(root, policy.leafPaths, policy.pathTree);
}

const unparsed = Symbol("unparsed");

/**
 * A message read once for many policies (every subscription of a topic, or a current policy and a
 * draft): its body is parsed on the first MessageBody policy that asks, and only then.
 */
export class PreparedMessage {
  private parsed: Record<string, unknown> | undefined | typeof unparsed = unparsed;

  constructor(
    readonly attributes: Record<string, MessageAttribute> | undefined,
    readonly body: string | undefined,
  ) {}

  /** The body as a JSON object, or undefined when it is not one. */
  get bodyObject(): Record<string, unknown> | undefined {
    if (this.parsed === unparsed) this.parsed = parseBody(this.body);
    return this.parsed;
  }
}

/** Prepares a message (or a published one: body and attributes) for evaluation against several policies. */
export function prepareMessage(
  message: FilterMessage | { body?: string; attributes?: Record<string, MessageAttribute> },
): PreparedMessage {
  return new PreparedMessage(
    "attributes" in message ? message.attributes : undefined,
    "body" in message ? message.body : undefined,
  );
}
