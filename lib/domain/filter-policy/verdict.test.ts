import { describe, expect, it } from "vitest";
import { sharedConformanceCases } from "../../../test/conformance-cases";
import { compileOrThrow } from "../../../test/fixtures/filter-policy";
import { generate, random } from "../../../test/filter-policy-messages";
import { ipInRange, parseCidr, parseIpAddress } from "./cidr";
import { evaluateFilterPolicy, explainFilterPolicy } from "./evaluate";
import { prepareMessage } from "./message";
import type { CompiledPolicy, FilterMessage, FilterPolicyScope } from "./types";

/**
 * The match-only path (evaluateFilterPolicy, verdict.ts) and the explaining one (explainFilterPolicy,
 * match.ts over message.ts) are two implementations of one verdict: they must agree on every message.
 */

function answers(compiled: CompiledPolicy, message: FilterMessage) {
  const explained = explainFilterPolicy(compiled, message);
  const prepared = prepareMessage(message);
  return {
    fast: evaluateFilterPolicy(compiled, message).match,
    fastPrepared: evaluateFilterPolicy(compiled, prepared).match,
    explained: explained.match,
    explainedPrepared: explainFilterPolicy(compiled, prepared).match,
    explanationRoot: explained.explanation.matched,
  };
}

function disagreements(compiled: CompiledPolicy, messages: FilterMessage[]): string[] {
  const found: string[] = [];
  for (const message of messages) {
    const a = answers(compiled, message);
    if (new Set(Object.values(a)).size !== 1) found.push(`${JSON.stringify(a)} for ${JSON.stringify(message)}`);
  }
  return found;
}

const { present, cases } = sharedConformanceCases();
const withMessage = cases.flatMap((c) => (c.expect === "invalid" ? [] : [c]));

describe.skipIf(!present)("the two paths on the shared conformance cases", () => {
  it.each(withMessage.map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const compiled = compileOrThrow(c.policy, c.scope);
    const expected = c.expect === "match";
    expect(answers(compiled, c.message)).toEqual({
      fast: expected,
      fastPrepared: expected,
      explained: expected,
      explainedPrepared: expected,
      explanationRoot: expected,
    });
  });

  it("agree on 400 generated messages for each policy of the cases", () => {
    const rng = random(11);
    const policies = new Map(withMessage.map((c) => [`${c.scope} ${JSON.stringify(c.policy)}`, c]));
    let checked = 0;
    for (const c of policies.values()) {
      const messages = generate(c.policy, c.scope, 400, rng);
      expect(disagreements(compileOrThrow(c.policy, c.scope), messages), c.id).toEqual([]);
      checked += messages.length;
    }
    expect(checked).toBeGreaterThan(30_000);
  });
});

/** Policies that reach the corners of the fast path, checked with or without the shared cases. */
const corners: [string, FilterPolicyScope, unknown][] = [
  [
    "every operator on one attribute",
    "MessageAttributes",
    {
      a: [
        "x",
        42,
        { prefix: "or" },
        { suffix: { "equals-ignore-case": "ED" } },
        { "equals-ignore-case": "Rugby" },
        { wildcard: "a*b" },
        { numeric: [">", 0, "<=", 150] },
        { cidr: "10.0.0.0/24" },
      ],
      b: [{ "anything-but": ["x", "y"] }],
      d: [{ "anything-but": [42, 7] }],
      c: [{ "anything-but": { prefix: "ord" } }],
    },
  ],
  [
    "numbers, also read from String.Array text",
    "MessageAttributes",
    { a: [0.1, 100.123456, 123456789012345.5, -3.5, { numeric: [">", 99.9999995, "<", 100.0000005] }] },
  ],
  ["exact strings with a quote or a backslash", "MessageAttributes", { q: ['a"b', "plain"], r: ['c\\"d', "e\\\\"] }],
  ["exists true and false", "MessageAttributes", { a: [{ exists: true }], b: [{ exists: false }] }],
  ["exists false alone", "MessageAttributes", { constructor: [{ exists: false }] }],
  ["a name Object.prototype has", "MessageAttributes", { toString: ["x", { exists: true }] }],
  ["$or of attributes", "MessageAttributes", { $or: [{ a: ["x"] }, { b: [{ numeric: [">", 100] }] }] }],
  ["null, booleans and numbers in a body", "MessageBody", { a: [null, true, 1.5], b: [false, { exists: true }] }],
  [
    "nested keys, some in arrays of objects",
    "MessageBody",
    { detail: { state: ["on", { prefix: "of" }], id: [{ numeric: [">=", 10] }], tag: [{ exists: false }] } },
  ],
  [
    "$or in a body, with a key in two branches",
    "MessageBody",
    { $or: [{ r: { n: ["a"] } }, { r: { n: ["b"], m: [{ "anything-but": ["c"] }] } }] },
  ],
  [
    "a prototype name in a body",
    "MessageBody",
    JSON.parse('{"__proto__": {"x": ["y"]}, "constructor": [{"exists": false}]}'),
  ],
];

describe("the two paths on corner policies", () => {
  it.each(corners)("%s", (_name, scope, policy) => {
    const rng = random(5);
    const messages = generate(policy, scope, 2000, rng);
    expect(disagreements(compileOrThrow(policy, scope), messages)).toEqual([]);
  });

  it("reads String.Array, Binary, unreadable and unescaped attributes alike", () => {
    const compiled = compileOrThrow({ a: ['say \\"hi\\"', 3, true, { exists: false }], b: [{ exists: true }] });
    const values = ["[]", "[[]]", "[{}]", '["say \\"hi\\""]', "[[3]]", "[true]", "[null]", "{", '"x"', "3", ""];
    // What the String.Array reader leaves to JSON.parse, or must refuse as JSON.parse does.
    values.push(
      ...['["a",]', "[1,]", "[01]", "[1.]", "[-]", "[1e]", "[tru]", '[ "x" , 3 ]', '["x\\u0022"]', "[1e400]"],
    );
    values.push(
      ...['["x"] x', " [ ] ", "[,]", "[-0]", '["tab\there"]', "[3e0, 2.5E+1]", '["x"', "[true false]", "[nul]", '[""]'],
    );
    values.push(
      ...[
        "3.0",
        "+3",
        "03",
        "3.",
        ".5",
        "-0",
        "1.2.3",
        "0x3",
        " 3 ",
        "3e0",
        "-",
        ".",
        "123456789012345.6",
        "30000000000000003",
      ],
    );
    const messages: FilterMessage[] = [{ attributes: {} }];
    for (const Value of values)
      for (const Type of ["String", "Number", "String.Array", "Binary"] as const) {
        messages.push({ attributes: { a: { Type, Value } } });
        messages.push({ attributes: { a: { Type, Value }, b: { Type, Value } } });
      }
    expect(disagreements(compiled, messages)).toEqual([]);
  });

  it("compares attribute strings escaped, as AWS does, whatever the policy's strings", () => {
    const quoted = compileOrThrow({ q: ['a"b'] });
    const escaped = compileOrThrow({ q: ['a\\"b'] });
    const message = { attributes: { q: { Type: "String" as const, Value: 'a"b' } } };
    expect(disagreements(quoted, [message])).toEqual([]);
    expect(disagreements(escaped, [message])).toEqual([]);
    expect([evaluateFilterPolicy(quoted, message).match, evaluateFilterPolicy(escaped, message).match]).toEqual([
      false,
      true,
    ]);
  });

  it("reads dotted body keys and bodies that are not objects alike", () => {
    const compiled = compileOrThrow({ a: { b: { c: ["x"] } }, "a.d": [{ exists: false }] }, "MessageBody");
    const bodies = [
      { "a.b.c": "x" },
      { "a.b": { c: "x" } },
      { a: { "b.c": "x" } },
      { a: [{ "b.c": ["x"] }, { d: 1 }] },
      { a: { b: { c: "x" }, d: null } },
      { "a.d": { e: 1 }, a: { b: { c: "x" } } },
      { a: { b: { c: { x: 1 } } } },
    ];
    const messages = [
      ...bodies.map((b) => ({ body: JSON.stringify(b) })),
      { body: "x" },
      { body: "[1]" },
      { body: "null" },
    ];
    // A key spelled with an escape is the same key: the text's precheck must not drop it.
    const escaped = { body: '{"a": {"b": {"\\u0063": "x"}}}' };
    expect(disagreements(compiled, [...messages, escaped])).toEqual([]);
    expect(evaluateFilterPolicy(compiled, escaped).match).toBe(true);
    expect(evaluateFilterPolicy(compiled, { body: '{"a": {"b": {"d": "x"}}}' }).match).toBe(false);
    const strings = compileOrThrow(
      { s: ["on", { prefix: "ab" }, { suffix: "yz" }], t: [{ exists: true }] },
      "MessageBody",
    );
    const texts = ['{"s": "\\u006fn", "t": 1}', '{"s": "on", "t": 1}', '{"s": "abc", "t": 1}', '{"s": "xyz", "t": 1}'];
    texts.push(
      '{"s": "one", "t": 1}',
      '{"s": "on"}',
      '{"s": ["x", "on"], "t": 1}',
      '{"s": "xab", "t": 1}',
      '{"s": "yzx", "t": 1}',
    );
    const verdicts = texts.map((text) => evaluateFilterPolicy(strings, { body: text }).match);
    expect(verdicts).toEqual([true, true, true, true, false, false, true, false, false]);
    expect(
      disagreements(
        strings,
        texts.map((text) => ({ body: text })),
      ),
    ).toEqual([]);
    expect(bodies.map((b) => evaluateFilterPolicy(compiled, { body: JSON.stringify(b) }).match)).toEqual([
      true,
      true,
      true,
      false,
      false,
      true,
      false,
    ]);
  });
});

describe("ipInRange's reading of IPv4 text", () => {
  it.each(["10.0.0.0/8", "10.1.2.0/24", "0.0.0.0/0", "2001:db8::/32"])("agrees with parseIpAddress in %s", (block) => {
    const cidr = parseCidr(block);
    if (!cidr.ok) throw new Error(cidr.reason);
    const { range } = cidr;
    const reference = (text: string) => {
      const ip = parseIpAddress(text);
      return (
        ip?.version === range.version && ip.words.every((w, i) => (w & (range.mask[i] ?? 0)) >>> 0 === range.network[i])
      );
    };
    const texts = [
      "10.1.2.3",
      "010.001.002.003",
      "10.1.2.256",
      "10.1.2",
      "10.1.2.3.4",
      "10..2.3",
      ".10.1.2",
      "10.1.2.",
    ];
    texts.push(
      "10.1.2.99999999999999999999",
      "1O.1.2.3",
      "::ffff:a01:203",
      "2001:db8::1",
      "",
      "10.1.2.3 ",
      "255.255.255.255",
    );
    expect(texts.map((t) => ipInRange(t, range))).toEqual(texts.map(reference));
  });
});

describe("prepareMessage", () => {
  it("parses a body once for every MessageBody policy, and serves attributes to the others", () => {
    const prepared = prepareMessage({
      body: '{"type":"order","amount":120}',
      attributes: { env: { Type: "String", Value: "live" } },
    });
    const policies = [
      compileOrThrow({ type: ["order"] }, "MessageBody"),
      compileOrThrow({ amount: [{ numeric: ["<", 100] }] }, "MessageBody"),
      compileOrThrow({ env: ["live"] }),
      compileOrThrow({ env: ["test"] }),
    ];
    const parsed = prepared.bodyObject;
    expect(policies.map((p) => evaluateFilterPolicy(p, prepared).match)).toEqual([true, false, true, false]);
    expect(prepared.bodyObject).toBe(parsed);
  });
});
