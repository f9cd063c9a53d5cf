import type { FilterMessage, FilterPolicyScope, MessageAttribute } from "../lib/domain/filter-policy";

/**
 * Messages generated for a filter policy, the same on every run (seeded): the values its keys name,
 * values just beside them, other types, arrays, arrays of objects, dotted keys and absent keys. The
 * benchmark measures on them; the unit tests check that the engine's two paths agree on them.
 */

/** A small seeded generator, so every run measures the same messages. */
export function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    word: () => Math.floor(next() * 36 ** 4).toString(36),
  };
}
export type Random = ReturnType<typeof random>;
type Scalar = string | number | boolean | null;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Values worth trying at a key: what its conditions name, and values just beside them. */
function candidatesFor(condition: unknown, rng: Random): Scalar[] {
  if (!isObject(condition)) {
    return typeof condition === "string"
      ? [condition, `${condition}x`, condition.toUpperCase()]
      : typeof condition === "number"
        ? [condition, condition + 1, condition + 0.0000001]
        : [condition as Scalar];
  }
  const [op, arg] = Object.entries(condition)[0] ?? ["", null];
  const text = (v: unknown) => (isObject(v) ? String(v["equals-ignore-case"]) : String(v));
  switch (op) {
    case "prefix":
      return [`${text(arg)}${rng.word()}`, `${rng.word()}${text(arg)}`, text(arg).toUpperCase()];
    case "suffix":
      return [`${rng.word()}${text(arg)}`, `${text(arg)}${rng.word()}`, text(arg).toUpperCase()];
    case "equals-ignore-case":
      return [String(arg).toUpperCase(), String(arg), `${String(arg)}s`];
    case "wildcard":
      return [
        String(arg)
          .replace(/\\\*/g, "*")
          .replace(/\*/g, () => rng.word()),
        String(arg).replace(/\*/g, ""),
      ];
    case "anything-but": {
      if (isObject(arg))
        return Object.values(arg)
          .flat()
          .flatMap((p) => [`${String(p)}${rng.word()}`, `${rng.word()}${String(p)}`, String(p)]);
      return [...((Array.isArray(arg) ? arg : [arg]) as Scalar[]), rng.word(), rng.next() * 1000];
    }
    case "numeric": {
      const bounds = (arg as unknown[]).filter((x): x is number => typeof x === "number");
      return bounds.flatMap((b) => [b, b - 1, b + 0.5, b - 0.000001, String(b)]);
    }
    case "cidr": {
      const [ip = ""] = String(arg).split("/");
      if (ip.includes(":")) return [`${ip}1`, "2001:db8:ffff::1", ip.replace(/^[0-9a-f]+/, "fe80")];
      const octets = ip.split(".");
      return [
        ip,
        [...octets.slice(0, 3), "255"].join("."),
        [octets[0], "99", octets[2], octets[3]].join("."),
        `${ip}0`,
      ];
    }
    default:
      return [true, rng.word()];
  }
}

/** Each key path of a policy (dotted in bodies) with the values to try there. */
function keysOf(
  policy: unknown,
  scope: FilterPolicyScope,
  rng: Random,
  prefix?: string,
  into = new Map<string, Scalar[]>(),
): Map<string, Scalar[]> {
  if (!isObject(policy)) return into;
  for (const [key, value] of Object.entries(policy)) {
    const keyPath = scope === "MessageAttributes" || prefix === undefined ? key : `${prefix}.${key}`;
    if (key === "$or" && Array.isArray(value)) value.forEach((branch) => keysOf(branch, scope, rng, prefix, into));
    else if (Array.isArray(value))
      into.set(keyPath, [...(into.get(keyPath) ?? []), ...value.flatMap((c) => candidatesFor(c, rng))]);
    else keysOf(value, scope, rng, keyPath, into);
  }
  return into;
}

const fillers: Scalar[] = ["rugby", "order-1", "ObjectCreated:Put", "10.0.0.7", 42, 150, -3.5, true, false, null, ""];

function attributeFor(value: Scalar, rng: Random): MessageAttribute {
  if (rng.chance(0.03)) return { Type: "Binary", Value: "AAEC" };
  if (rng.chance(0.2))
    return { Type: "String.Array", Value: JSON.stringify(rng.chance(0.5) ? [value, rng.pick(fillers)] : [value]) };
  if (typeof value === "number")
    return rng.chance(0.85) ? { Type: "Number", Value: String(value) } : { Type: "String", Value: String(value) };
  if (typeof value === "string") return { Type: "String", Value: value };
  return { Type: "String.Array", Value: JSON.stringify([value]) };
}

/** Sets a dotted path in a body, sometimes as one dotted key, sometimes inside an array of objects. */
function place(root: Record<string, unknown>, keyPath: string, value: unknown, rng: Random): void {
  const segments = keyPath.split(".");
  if (segments.length > 1 && rng.chance(0.15)) {
    root[keyPath] = value;
    return;
  }
  let node: Record<string, unknown> = root;
  segments.forEach((segment, i) => {
    if (i === segments.length - 1) {
      node[segment] = rng.chance(0.15) ? [value, rng.pick(fillers)] : value;
      return;
    }
    let child = node[segment];
    if (Array.isArray(child)) child = child[0];
    if (!isObject(child)) {
      const fresh: Record<string, unknown> = {};
      // Now and then the level is an array of objects, with a decoy element beside the real one.
      node[segment] = rng.chance(0.2)
        ? rng.chance(0.5)
          ? [fresh, { [segments[i + 1] ?? "x"]: rng.pick(fillers) }]
          : [{ [segments[i + 1] ?? "x"]: rng.pick(fillers) }, fresh]
        : fresh;
      child = fresh;
    }
    node = child as Record<string, unknown>;
  });
}

export function generate(policy: unknown, scope: FilterPolicyScope, count: number, rng: Random): FilterMessage[] {
  const keys = [...keysOf(policy, scope, rng)];
  const messages: FilterMessage[] = [];
  for (let n = 0; n < count; n++) {
    const values = keys.map(
      ([keyPath, candidates]) =>
        [keyPath, rng.chance(0.15) ? undefined : rng.chance(0.85) ? rng.pick(candidates) : rng.pick(fillers)] as const,
    );
    if (scope === "MessageAttributes") {
      const attributes: Record<string, MessageAttribute> = { unrelated: { Type: "String", Value: rng.word() } };
      for (const [name, value] of values) if (value !== undefined) attributes[name] = attributeFor(value, rng);
      messages.push({ attributes });
    } else if (rng.chance(0.02)) {
      messages.push({ body: rng.chance(0.5) ? "plain text" : JSON.stringify(rng.word()) });
    } else {
      const root: Record<string, unknown> = { id: rng.word() };
      for (const [keyPath, value] of values) if (value !== undefined) place(root, keyPath, value, rng);
      messages.push({ body: JSON.stringify(root) });
    }
  }
  return messages;
}
