import { describe, expect, it } from "vitest";
import { attrs, body, delivers } from "../../../test/fixtures/filter-policy";
import type { FilterMessage } from "./types";

type Row = [string, unknown, FilterMessage, boolean];

const A = "MessageAttributes";
const B = "MessageBody";

describe("exact matching (String value matching → Exact matching)", () => {
  it.each<Row>([
    ["string equal", { k: ["rugby"] }, attrs({ k: ["String", "rugby"] }), true],
    ["case-sensitive", { k: ["rugby"] }, attrs({ k: ["String", "Rugby"] }), false],
    ["one of several values", { k: ["a", "b", "c"] }, attrs({ k: ["String", "c"] }), true],
    [
      "String.Array: any element",
      { k: ["rugby", "tennis"] },
      attrs({ k: ["String.Array", '["soccer","tennis"]'] }),
      true,
    ],
    ["String.Array: no element", { k: ["rugby"] }, attrs({ k: ["String.Array", '["soccer"]'] }), false],
    ["Number attribute equals number", { k: [100] }, attrs({ k: ["Number", "100.0"] }), true],
    ["Number attribute vs string value", { k: ["100"] }, attrs({ k: ["Number", "100"] }), false],
    ["String attribute vs number value", { k: [100] }, attrs({ k: ["String", "100"] }), false],
    ["String.Array numbers compare as numbers", { k: [100.5] }, attrs({ k: ["String.Array", "[1, 100.50]"] }), true],
    ['String.Array string "100" is not 100', { k: [100] }, attrs({ k: ["String.Array", '["100"]'] }), false],
    ["String.Array boolean", { k: [false] }, attrs({ k: ["String.Array", "[false]"] }), true],
    ['String attribute "false" is not false', { k: [false] }, attrs({ k: ["String", "false"] }), false],
    ["absent attribute", { k: ["x"] }, attrs({}), false],
    ["Binary attribute never matches", { k: ["ZXhhbXBsZQ=="] }, attrs({ k: ["Binary", "ZXhhbXBsZQ=="] }), false],
  ])("%s", (_name, policy, message, expected) => {
    expect(delivers(policy, A, message)).toBe(expected);
  });

  it.each<Row>([
    ["body string", { k: ["rugby"] }, body({ k: "rugby" }), true],
    ["body number written as exponent", { k: [301.5] }, body('{"k": 3.015e2}'), true],
    ["body null matches null", { k: [null] }, body({ k: null }), true],
    ["body absent does not match null", { k: [null] }, body({}), false],
    ["body true", { k: [true] }, body({ k: true }), true],
    ['body string "true" is not true', { k: [true] }, body({ k: "true" }), false],
    ["body empty string", { k: [""] }, body({ k: "" }), true],
  ])("%s", (_name, policy, message, expected) => {
    expect(delivers(policy, B, message)).toBe(expected);
  });

  it("wants double quotes and backslashes of attribute values double-escaped in the policy (Filter policy constraints)", () => {
    const quoted = attrs({ k: ["String", 'say "hi"'] });
    expect(delivers({ k: ['say "hi"'] }, A, quoted)).toBe(false);
    expect(delivers({ k: ['say \\"hi\\"'] }, A, quoted)).toBe(true);
    expect(delivers({ k: ["C:\\\\temp"] }, A, attrs({ k: ["String", "C:\\temp"] }))).toBe(true);
    expect(
      delivers({ k: [{ prefix: 'say \\"' }] }, A, attrs({ k: ["String.Array", JSON.stringify(['say "hi"'])] })),
    ).toBe(true);
    // Bodies are JSON: their strings compare as they read.
    expect(delivers({ k: ['say "hi"'] }, B, body({ k: 'say "hi"' }))).toBe(true);
  });

  it("compares numbers to six decimal places, as AWS does", () => {
    expect(delivers({ k: [100.123456789] }, A, attrs({ k: ["Number", "100.1234567"] }))).toBe(true);
    expect(delivers({ k: [100.123456789] }, A, attrs({ k: ["Number", "100.1234561"] }))).toBe(false);
    expect(delivers({ k: [0.3] }, B, body({ k: 0.1 + 0.2 }))).toBe(true);
  });
});

describe("prefix, suffix, equals-ignore-case, wildcard", () => {
  it.each<Row>([
    ["prefix", { k: [{ prefix: "bas" }] }, body({ k: "basketball" }), true],
    ["prefix miss", { k: [{ prefix: "bas" }] }, body({ k: "rugby" }), false],
    ["prefix never matches numbers", { k: [{ prefix: "10" }] }, body({ k: 100 }), false],
    ["prefix ignoring case", { k: [{ prefix: { "equals-ignore-case": "BAS" } }] }, body({ k: "basketball" }), true],
    ["suffix", { k: [{ suffix: "ball" }] }, body({ k: "baseball" }), true],
    ["suffix miss", { k: [{ suffix: "ball" }] }, body({ k: "rugby" }), false],
    ["suffix ignoring case", { k: [{ suffix: { "equals-ignore-case": "BALL" } }] }, body({ k: "baseBall" }), true],
    ["equals-ignore-case", { k: [{ "equals-ignore-case": "tennis" }] }, body({ k: "TeNnIs" }), true],
    [
      "equals-ignore-case is still equality",
      { k: [{ "equals-ignore-case": "tennis" }] },
      body({ k: "tenniss" }),
      false,
    ],
    ["wildcard", { k: [{ wildcard: "*ball" }] }, body({ k: "football" }), true],
    ["wildcard in the middle", { k: [{ wildcard: "arn:*:sns:*" }] }, body({ k: "arn:aws:sns:eu-west-1" }), true],
    ["wildcard order matters", { k: [{ wildcard: "a*b*c" }] }, body({ k: "acb" }), false],
    ["wildcard without star is equality", { k: [{ wildcard: "abc" }] }, body({ k: "abcd" }), false],
    ["wildcard escaped star is literal", { k: [{ wildcard: "a\\*b" }] }, body({ k: "a*b" }), true],
    ["wildcard escaped star does not glob", { k: [{ wildcard: "a\\*b" }] }, body({ k: "axb" }), false],
    ["wildcard escaped backslash", { k: [{ wildcard: "a\\\\*" }] }, body({ k: "a\\anything" }), true],
    ["wildcard overlapping segments", { k: [{ wildcard: "ab*ba" }] }, body({ k: "aba" }), false],
    ["wildcard star alone matches empty", { k: [{ wildcard: "*" }] }, body({ k: "" }), true],
  ])("%s", (_name, policy, message, expected) => {
    expect(delivers(policy, B, message)).toBe(expected);
  });
});

describe("anything-but (String value matching → Anything-but matching)", () => {
  it.each<Row>([
    ["list of strings, other value", { k: [{ "anything-but": ["rugby", "tennis"] }] }, body({ k: "golf" }), true],
    ["list of strings, excluded value", { k: [{ "anything-but": ["rugby", "tennis"] }] }, body({ k: "tennis" }), false],
    ["single string", { k: [{ "anything-but": "rugby" }] }, body({ k: "golf" }), true],
    ["single number", { k: [{ "anything-but": 100 }] }, body({ k: 100 }), false],
    ["numbers compare numerically", { k: [{ "anything-but": [100, 500] }] }, body({ k: 100.0 }), false],
    ["string list vs a number", { k: [{ "anything-but": ["100"] }] }, body({ k: 100 }), true],
    ["number list vs a string", { k: [{ "anything-but": [100] }] }, body({ k: "100" }), true],
    ["array: one element not excluded", { k: [{ "anything-but": ["rugby"] }] }, body({ k: ["rugby", "golf"] }), true],
    ["array: every element excluded", { k: [{ "anything-but": ["rugby"] }] }, body({ k: ["rugby", "rugby"] }), false],
    ["absent never matches", { k: [{ "anything-but": ["rugby"] }] }, body({ other: 1 }), false],
    ["null is anything but a string", { k: [{ "anything-but": ["rugby"] }] }, body({ k: null }), true],
    ["prefix", { k: [{ "anything-but": { prefix: "order-" } }] }, body({ k: "data-entry" }), true],
    ["prefix excluded", { k: [{ "anything-but": { prefix: "order-" } }] }, body({ k: "order-1" }), false],
    ["prefix list", { k: [{ "anything-but": { prefix: ["a", "b"] } }] }, body({ k: "bz" }), false],
    ["prefix: a number has no prefix", { k: [{ "anything-but": { prefix: "1" } }] }, body({ k: 10 }), true],
    ["suffix", { k: [{ "anything-but": { suffix: "ball" } }] }, body({ k: "rugby" }), true],
    ["suffix excluded", { k: [{ "anything-but": { suffix: "ball" } }] }, body({ k: "football" }), false],
    [
      "wildcard excluded",
      { k: [{ "anything-but": { wildcard: "*/bin/*.jar" } }] },
      body({ k: "/usr/bin/app.jar" }),
      false,
    ],
    ["wildcard other", { k: [{ "anything-but": { wildcard: "*/bin/*.jar" } }] }, body({ k: "/usr/lib/app.jar" }), true],
    [
      "equals-ignore-case excluded",
      { k: [{ "anything-but": { "equals-ignore-case": "Stopped" } }] },
      body({ k: "STOPPED" }),
      false,
    ],
    [
      "equals-ignore-case list other",
      { k: [{ "anything-but": { "equals-ignore-case": ["Stopped", "Failed"] } }] },
      body({ k: "running" }),
      true,
    ],
  ])("%s", (_name, policy, message, expected) => {
    expect(delivers(policy, B, message)).toBe(expected);
  });

  it("String.Array attribute with only excluded elements is not delivered", () => {
    expect(delivers({ k: [{ "anything-but": ["rugby"] }] }, A, attrs({ k: ["String.Array", '["rugby"]'] }))).toBe(
      false,
    );
    expect(
      delivers({ k: [{ "anything-but": ["rugby"] }] }, A, attrs({ k: ["String.Array", '["rugby","golf"]'] })),
    ).toBe(true);
  });
});

describe("numeric (Numeric value matching)", () => {
  const range = { k: [{ numeric: [">", 0, "<=", 150] }] };
  it.each<[string, unknown, string, boolean]>([
    ["= match", { k: [{ numeric: ["=", 301.5] }] }, "301.50", true],
    ["= miss", { k: [{ numeric: ["=", 301.5] }] }, "301.6", false],
    ["< strict at the bound", { k: [{ numeric: ["<", 0] }] }, "0", false],
    ["< below", { k: [{ numeric: ["<", 0] }] }, "-5", true],
    ["<= at the bound", { k: [{ numeric: ["<=", 0] }] }, "0", true],
    ["> at the bound", { k: [{ numeric: [">", 10] }] }, "10", false],
    [">= at the bound", { k: [{ numeric: [">=", 10] }] }, "10", true],
    ["range: lower bound excluded", range, "0", false],
    ["range: just above the lower bound", range, "0.00001", true],
    ["range: upper bound included", range, "150", true],
    ["range: above the upper bound", range, "150.00001", false],
    ["range: beyond the sixth decimal counts as the bound", range, "150.0000001", true],
    ["exponent notation", { k: [{ numeric: [">", 1000] }] }, "1.5e3", true],
    ["five decimals", { k: [{ numeric: ["=", 0.00001] }] }, "0.00001", true],
  ])("%s", (_name, policy, value, expected) => {
    expect(delivers(policy, A, attrs({ k: ["Number", value] }))).toBe(expected);
  });

  it("matches numbers only: a String attribute holding digits is not a number", () => {
    expect(delivers(range, A, attrs({ k: ["String", "99"] }))).toBe(false);
    expect(delivers(range, B, body({ k: "99" }))).toBe(false);
    expect(delivers(range, B, body({ k: 99 }))).toBe(true);
  });

  it("any number of a String.Array or a body array may satisfy it", () => {
    expect(delivers(range, A, attrs({ k: ["String.Array", "[500, 99]"] }))).toBe(true);
    expect(delivers(range, A, attrs({ k: ["String.Array", "[500, 600]"] }))).toBe(false);
    expect(delivers(range, B, body({ k: [500, 99] }))).toBe(true);
  });
});

describe("exists (Key matching)", () => {
  it.each<[string, unknown, FilterMessage, boolean]>([
    ["true, present", { k: [{ exists: true }] }, attrs({ k: ["String", "x"] }), true],
    ["true, absent", { k: [{ exists: true }] }, attrs({ other: ["String", "x"] }), false],
    ["false, absent", { k: [{ exists: false }] }, attrs({ other: ["String", "x"] }), true],
    ["false, present", { k: [{ exists: false }] }, attrs({ k: ["Number", "1"] }), false],
    // "Key matching" note: "exists": false "only matches if at least one attribute is present. An empty
    // set of attributes results in the filter not matching."
    ["false, no attributes at all", { k: [{ exists: false }] }, attrs({}), false],
    ["false, no attributes at all, beside another value", { k: ["x", { exists: false }] }, attrs({}), false],
    [
      "false, no attributes at all, in an $or branch",
      { $or: [{ k: [{ exists: false }] }, { j: ["x"] }] },
      attrs({}),
      false,
    ],
    ["false, one unrelated attribute is enough", { k: [{ exists: false }] }, attrs({ j: ["Binary", "AA=="] }), true],
    ["true, Binary is ignored", { k: [{ exists: true }] }, attrs({ k: ["Binary", "AA=="] }), false],
    ["false, Binary is ignored", { k: [{ exists: false }] }, attrs({ k: ["Binary", "AA=="] }), true],
    ["true, empty String.Array has no value", { k: [{ exists: true }] }, attrs({ k: ["String.Array", "[]"] }), false],
  ])("attributes: %s", (_name, policy, message, expected) => {
    expect(delivers(policy, A, message)).toBe(expected);
  });

  it("the empty-attributes rule is about attributes: an empty body object still matches exists false", () => {
    expect(delivers({ k: [{ exists: false }] }, B, body({}))).toBe(true);
  });

  it.each<[string, unknown, FilterMessage, boolean]>([
    ["true, present", { k: [{ exists: true }] }, body({ k: "x" }), true],
    // "Key matching": "The key must have a non-null and non-empty value."
    ["true, null alone is not enough", { k: [{ exists: true }] }, body({ k: null }), false],
    ["true, an empty string alone is not enough", { k: [{ exists: true }] }, body({ k: "" }), false],
    ["true, an array with one non-empty value", { k: [{ exists: true }] }, body({ k: [null, "", "x"] }), true],
    ["true, an array of null and empty only", { k: [{ exists: true }] }, body({ k: [null, ""] }), false],
    ["true, 0 and false are values", { k: [{ exists: true }], j: [{ exists: true }] }, body({ k: 0, j: false }), true],
    ["null matched exactly still matches", { k: [null, { exists: true }] }, body({ k: null }), true],
    ["false, a null value is still a present key", { k: [{ exists: false }] }, body({ k: null }), false],
    ["true, empty array has no value", { k: [{ exists: true }] }, body({ k: [] }), false],
    ["false, empty array has no value", { k: [{ exists: false }] }, body({ k: [] }), true],
    ["true, only leaves count", { k: [{ exists: true }] }, body({ k: { inner: 1 } }), false],
    ["false, an object is not a leaf", { k: [{ exists: false }] }, body({ k: { inner: 1 } }), true],
    ["nested, present", { a: { b: [{ exists: true }] } }, body({ a: { b: 0 } }), true],
    ["nested, parent absent", { a: { b: [{ exists: false }] } }, body({ c: 1 }), true],
    ["with another value: absent", { k: ["x", { exists: false }] }, body({}), true],
    ["with another value: that value", { k: ["x", { exists: false }] }, body({ k: "x" }), true],
    ["with another value: other value", { k: ["x", { exists: false }] }, body({ k: "y" }), false],
  ])("body: %s", (_name, policy, message, expected) => {
    expect(delivers(policy, B, message)).toBe(expected);
  });
});

describe("cidr (IP address matching)", () => {
  it.each<[string, string, string, boolean]>([
    ["IPv4 network address", "10.0.0.0/24", "10.0.0.0", true],
    ["IPv4 broadcast address", "10.0.0.0/24", "10.0.0.255", true],
    ["IPv4 next block", "10.0.0.0/24", "10.0.1.0", false],
    ["IPv4 invalid octet", "10.0.0.0/24", "10.0.0.256", false],
    ["IPv4 block given with host bits", "10.0.0.77/24", "10.0.0.1", true],
    ["IPv4 /0 matches any IPv4", "0.0.0.0/0", "203.0.113.9", true],
    ["IPv4 /31", "192.168.1.0/31", "192.168.1.1", true],
    ["IPv4 /31 outside", "192.168.1.0/31", "192.168.1.2", false],
    ["IPv4 block never matches IPv6", "10.0.0.0/8", "2001:db8::1", false],
    ["IPv6 compressed", "2001:db8:1234:1a00::/64", "2001:db8:1234:1a00::1", true],
    ["IPv6 uncompressed", "2001:db8:1234:1a00::/64", "2001:0db8:1234:1a00:0000:0000:0000:0000", true],
    ["IPv6 last address of the block", "2001:db8:1234:1a00::/64", "2001:db8:1234:1a00:ffff:ffff:ffff:ffff", true],
    ["IPv6 outside", "2001:db8:1234:1a00::/64", "2001:0db8:123f:1a01::", false],
    ["IPv6 upper case", "2001:db8::/32", "2001:DB8:FFFF::1", true],
    ["IPv6 /127", "::/127", "::1", true],
    ["IPv6 block never matches IPv4", "::/0", "10.0.0.1", false],
    ["not an address", "10.0.0.0/8", "ten", false],
  ])("%s", (_name, block, value, expected) => {
    expect(delivers({ ip: [{ cidr: block }] }, B, body({ ip: value }))).toBe(expected);
  });

  it("matches String attributes, not numbers", () => {
    expect(delivers({ ip: [{ cidr: "10.0.0.0/8" }] }, A, attrs({ ip: ["String", "10.1.2.3"] }))).toBe(true);
    expect(delivers({ ip: [{ cidr: "10.0.0.0/8" }] }, A, attrs({ ip: ["Number", "10"] }))).toBe(false);
  });
});

describe("AND/OR logic", () => {
  const policy = { source: ["aws.cloudwatch"], $or: [{ metricName: ["CPUUtilization"] }, { namespace: ["AWS/EC2"] }] };
  it.each<[string, FilterMessage, boolean]>([
    [
      "key and first branch",
      attrs({ source: ["String", "aws.cloudwatch"], metricName: ["String", "CPUUtilization"] }),
      true,
    ],
    ["key and second branch", attrs({ source: ["String", "aws.cloudwatch"], namespace: ["String", "AWS/EC2"] }), true],
    ["key, no branch", attrs({ source: ["String", "aws.cloudwatch"] }), false],
    ["branch without the key", attrs({ namespace: ["String", "AWS/EC2"] }), false],
  ])("%s", (_name, message, expected) => {
    expect(delivers(policy, A, message)).toBe(expected);
  });

  it("nests: an $or inside a branch", () => {
    const nested = { source: ["s"], $or: [{ a: ["1"] }, { b: ["1"], $or: [{ c: ["1"] }, { d: ["1"] }] }] };
    expect(delivers(nested, A, attrs({ source: ["String", "s"], b: ["String", "1"], d: ["String", "1"] }))).toBe(true);
    expect(delivers(nested, A, attrs({ source: ["String", "s"], b: ["String", "1"] }))).toBe(false);
  });

  it("in a body, an $or inside a nested object reads that object", () => {
    const nested = { detail: { $or: [{ a: [1] }, { b: [2] }] } };
    expect(delivers(nested, B, body({ detail: { b: 2 } }))).toBe(true);
    expect(delivers(nested, B, body({ b: 2 }))).toBe(false);
  });

  it("treats $or as a plain key when its array holds operator objects", () => {
    const plain = { $or: [{ prefix: "a" }, { suffix: "z" }] };
    expect(delivers(plain, A, attrs({ $or: ["String", "abc"] }))).toBe(true);
    expect(delivers(plain, A, attrs({ other: ["String", "abc"] }))).toBe(false);
  });

  it("an empty policy delivers everything", () => {
    expect(delivers({}, A, attrs({}))).toBe(true);
    expect(delivers({}, B, body("not json"))).toBe(true);
    expect(delivers("", A, attrs({}))).toBe(true);
  });
});

describe("message body", () => {
  it.each<[string, unknown, FilterMessage, boolean]>([
    ["nested key", { a: { b: ["x"] } }, body({ a: { b: "x" } }), true],
    ["dotted policy key, nested body", { "a.b": ["x"] }, body({ a: { b: "x" } }), true],
    ["nested policy, dotted body key", { a: { b: ["x"] } }, body({ "a.b": "x" }), true],
    ["dotted in the middle", { "a.b.c": ["x"] }, body({ a: { "b.c": "x" } }), true],
    ["array of values: any element", { tags: ["red"] }, body({ tags: ["blue", "red"] }), true],
    ["array of arrays", { tags: ["red"] }, body({ tags: [["blue"], ["red"]] }), true],
    ["array of objects: any element", { items: { sku: ["b"] } }, body({ items: [{ sku: "a" }, { sku: "b" }] }), true],
    [
      "array of objects: keys must hold in the same element",
      { items: { sku: ["a"], qty: [2] } },
      body({
        items: [
          { sku: "a", qty: 1 },
          { sku: "b", qty: 2 },
        ],
      }),
      false,
    ],
    [
      "array of objects: same element",
      { items: { sku: ["b"], qty: [2] } },
      body({
        items: [
          { sku: "a", qty: 1 },
          { sku: "b", qty: 2 },
        ],
      }),
      true,
    ],
    [
      "array of objects and a top-level key",
      { items: { sku: ["b"] }, id: [1] },
      body({ id: 1, items: [{ sku: "a" }, { sku: "b" }] }),
      true,
    ],
    ["object where a value is expected", { a: ["x"] }, body({ a: { x: "x" } }), false],
    ["body that is not JSON", { a: [{ exists: false }] }, body("plain text"), false],
    ["body that is a JSON string", { a: [{ exists: false }] }, body(JSON.stringify("text")), false],
    ["body that is a JSON array", { a: ["x"] }, body([{ a: "x" }]), false],
  ])("%s", (_name, policy, message, expected) => {
    expect(delivers(policy, B, message)).toBe(expected);
  });

  it("keeps to one element per array across keys in several arrays", () => {
    const range = (n: number) => Array.from({ length: n }, (_, i) => i);
    const message = body({
      a: range(100).map((i) => (i % 2 ? { x: 1 } : { y: 1 })),
      b: range(100).map(() => ({ z: 1 })),
      c: range(100).map(() => ({ w: 1 })),
    });
    // a.x and a.y each hold somewhere, never in the same element of "a".
    expect(delivers({ "a.x": [1], "b.z": [1], "c.w": [1], "a.y": [1] }, B, message)).toBe(false);
    expect(delivers({ "a.x": [1], "b.z": [1], "c.w": [1], "a.y": [{ exists: false }] }, B, message)).toBe(false);
    expect(
      delivers(
        { "a.x": [1], "b.z": [1], "c.w": [1], $or: [{ "a.y": [1] }, { "b.z2": [{ exists: false }] }] },
        B,
        message,
      ),
    ).toBe(true);
  });

  it("a MessageBody policy given attributes only has no body to match", () => {
    expect(delivers({ a: ["x"] }, B, attrs({ a: ["String", "x"] }))).toBe(false);
  });

  it("a MessageAttributes policy ignores the body", () => {
    expect(delivers({ a: ["x"] }, A, body({ a: "x" }))).toBe(false);
  });
});

// A String.Array attribute is a JSON array in a string ("Amazon SNS message attributes"); one that is
// not cannot be read: no condition on its key holds, not even exists (the key is there, not absent).
describe("String.Array that is not a JSON array", () => {
  it.each<Row>([
    ["exact value equal to the text", { k: ["rugby"] }, attrs({ k: ["String.Array", "rugby"] }), false],
    ["prefix of the text", { k: [{ prefix: "rug" }] }, attrs({ k: ["String.Array", "rugby"] }), false],
    ["anything-but", { k: [{ "anything-but": ["tennis"] }] }, attrs({ k: ["String.Array", "rugby"] }), false],
    ["exists true", { k: [{ exists: true }] }, attrs({ k: ["String.Array", "rugby"] }), false],
    ["exists false", { k: [{ exists: false }] }, attrs({ k: ["String.Array", "rugby"] }), false],
    ["a JSON string, not an array", { k: ["rugby"] }, attrs({ k: ["String.Array", '"rugby"'] }), false],
    ["a JSON number, not an array", { k: [5] }, attrs({ k: ["String.Array", "5"] }), false],
    ["a JSON object", { k: [{ exists: true }] }, attrs({ k: ["String.Array", '{"a":1}'] }), false],
    ["broken JSON array", { k: ["rugby"] }, attrs({ k: ["String.Array", '["rugby"'] }), false],
    [
      "other keys still decide an $or",
      { $or: [{ k: ["rugby"] }, { j: ["x"] }] },
      attrs({ k: ["String.Array", "rugby"], j: ["String", "x"] }),
      true,
    ],
    ["a real array still matches", { k: ["rugby"] }, attrs({ k: ["String.Array", '["rugby"]'] }), true],
  ])("%s", (_name, policy, message, expected) => {
    expect(delivers(policy, A, message)).toBe(expected);
  });
});

// "Filter policy constraints": numeric matching has "five digits of accuracy after the decimal point".
describe("numeric accuracy", () => {
  it.each<Row>([
    ["equal to five decimals", { k: [{ numeric: ["=", 0.12345] }] }, attrs({ k: ["Number", "0.12345"] }), true],
    [
      "an operand with six decimals is usable",
      { k: [{ numeric: ["=", 0.123456] }] },
      attrs({ k: ["Number", "0.123456"] }),
      true,
    ],
    [
      "a difference in the fifth decimal counts",
      { k: [{ numeric: ["=", 0.12345] }] },
      attrs({ k: ["Number", "0.12346"] }),
      false,
    ],
    ["a bound beyond 1e9 is usable", { k: [{ numeric: [">", 1e9] }] }, attrs({ k: ["Number", "2000000000"] }), true],
  ])("%s", (_name, policy, message, expected) => {
    expect(delivers(policy, A, message)).toBe(expected);
  });
});
