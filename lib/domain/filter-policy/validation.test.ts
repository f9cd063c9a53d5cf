import { describe, expect, it } from "vitest";
import { compileFilterPolicy } from "./compile";
import { rejection } from "../../../test/fixtures/filter-policy";
import type { FilterPolicyScope } from "./types";

/** The reason and path of a rejected policy. */
function problem(policy: unknown, scope: FilterPolicyScope = "MessageAttributes") {
  const compiled = compileFilterPolicy(policy, scope);
  if (compiled.ok) throw new Error("policy was accepted");
  return compiled.error;
}

/** One test a policy of the table: AWS refuses it with the reason beside it. */
function refusedWith(cases: [policy: unknown, reason: string][]) {
  it.each(cases)("%j", (policy, reason) => {
    expect(rejection(policy)).toBe(reason);
  });
}

describe("structure", () => {
  it.each<[string, unknown, string, string]>([
    [
      "value that is neither list nor object",
      { key_a: "value_one" },
      '"key_a" must be an object or an array',
      "$.key_a",
    ],
    ["null value", { k: null }, '"k" must be an object or an array', "$.k"],
    [
      "operator object outside a list",
      { k: { suffix: "value" } },
      '"suffix" must be an object or an array',
      "$.k.suffix",
    ],
    ["empty list", { k: [] }, "Empty arrays are not allowed", "$.k"],
    ["list inside the list", { k: [["value"]] }, "Match value must be String, number, true, false, or null", "$.k[0]"],
    [
      "unknown operator",
      { k: [{ "wrong-operator": true }] },
      "Unrecognized match type wrong-operator",
      '$.k[0]["wrong-operator"]',
    ],
    [
      "two operators in one object",
      { k: [{ suffix: "a", prefix: "b" }] },
      "Only one key allowed in match expression",
      "$.k[0].prefix",
    ],
    ["empty operator object", { k: [{}] }, "Match expression name not found", "$.k[0]"],
    ["root is not an object", ["a"], "Filter is not an object", "$"],
    ["empty nested object (body)", { a: {} }, "Empty objects are not allowed", "$.a"],
  ])("%s", (_name, policy, reason, path) => {
    const scope = _name.includes("(body)") ? "MessageBody" : "MessageAttributes";
    expect(problem(policy, scope)).toEqual({ reason, path });
  });

  it("refuses nesting in the MessageAttributes scope, with AWS's reason, and accepts it in MessageBody", () => {
    expect(problem({ object: { key: [{ prefix: "auto-" }] } })).toEqual({
      reason: "Filter policy scope MessageAttributes does not support nested filter policy",
      path: "$.object",
    });
    expect(problem({ $or: [{ a: ["x"] }, { b: { c: ["y"] } }] }).reason).toBe(
      "Filter policy scope MessageAttributes does not support nested filter policy",
    );
    expect(compileFilterPolicy({ object: { key: [{ prefix: "auto-" }] } }, "MessageBody").ok).toBe(true);
  });

  it("names the same path twice only once per rule", () => {
    expect(rejection({ "a.b": ["x"], a: { b: ["y"] } }, "MessageBody")).toBe(
      "Path `a.b` cannot be allowed multiple times",
    );
    expect(rejection({ a: ["x"], $or: [{ a: ["y"] }, { b: ["z"] }] })).toBe(
      "Path `a` cannot be allowed multiple times",
    );
    expect(rejection({ $or: [{ a: ["y"] }, { a: ["z"] }] })).toBe("accepted");
  });

  it("refuses an unknown scope", () => {
    expect(problem({ a: ["x"] }, "Elsewhere" as FilterPolicyScope).reason).toBe(
      "FilterPolicyScope: Invalid value [Elsewhere]. Please use either MessageBody or MessageAttributes",
    );
  });
});

describe("string operators", () => {
  refusedWith([
    [{ k: [{ suffix: 100 }] }, "suffix match pattern must be a string"],
    [{ k: [{ suffix: null }] }, "suffix match pattern must be a string"],
    [{ k: [{ suffix: [] }] }, "suffix match pattern must be a string"],
    [{ k: [{ prefix: ["a"] }] }, "prefix match pattern must be a string"],
    [{ k: [{ prefix: {} }] }, "Prefix expression name not found"],
    [{ k: [{ prefix: { exactly: "a" } }] }, "Unsupported prefix pattern: exactly"],
    [{ k: [{ suffix: { "equals-ignore-case": 5 } }] }, "equals-ignore-case match pattern must be a string"],
    [{ k: [{ "equals-ignore-case": 5 }] }, "equals-ignore-case match pattern must be a string"],
    [{ k: [{ wildcard: 5 }] }, "wildcard match pattern must be a string"],
    [{ k: [{ wildcard: "a**b" }] }, "Consecutive wildcard characters at pos 1"],
    [{ k: [{ wildcard: "é**" }] }, "Consecutive wildcard characters at pos 2"],
    [{ k: [{ wildcard: "a\\b" }] }, "Invalid escape character at pos 1"],
    [{ k: [{ wildcard: "ab\\" }] }, "Invalid escape character at pos 2"],
  ]);
});

describe("anything-but", () => {
  refusedWith([
    [{ k: [{ "anything-but": { exists: false } }] }, "Unsupported anything-but pattern: exists"],
    [{ k: [{ "anything-but": { "wrong-operator": null } }] }, "Unsupported anything-but pattern: wrong-operator"],
    [{ k: [{ "anything-but": { prefix: false } }] }, "prefix match pattern must be a string"],
    [{ k: [{ "anything-but": { suffix: 1 } }] }, "suffix match pattern must be a string"],
    [{ k: [{ "anything-but": { prefix: ["a", null] } }] }, "Null prefix/suffix not allowed"],
    [{ k: [{ "anything-but": { suffix: ["a", 1] } }] }, "prefix/suffix match pattern must be a string"],
    [
      { k: [{ "anything-but": { "equals-ignore-case": ["a", 1] } }] },
      "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
    ],
    [{ k: [{ "anything-but": { wildcard: ["a", 1] } }] }, "wildcard match pattern must be a string"],
    [{ k: [{ "anything-but": { wildcard: "a**" } }] }, "Consecutive wildcard characters at pos 1"],
    [{ k: [{ "anything-but": { prefix: "a", suffix: "b" } }] }, "Only one key allowed in match expression"],
    [{ k: [{ "anything-but": {} }] }, "Anything-But expression name not found"],
    [
      { k: [{ "anything-but": ["a", 1] }] },
      "Inside anything but list, either all values are number or string, mixed type is not supported",
    ],
    [
      { k: [{ "anything-but": [] }] },
      "Inside anything but list, either all values are number or string, mixed type is not supported",
    ],
    [{ k: [{ "anything-but": ["a", null] }] }, "Inside anything but list, start|null|boolean is not supported."],
    [{ k: [{ "anything-but": true }] }, "Value of anything-but must be an array or single string/number value."],
  ]);

  it("accepts prefix, suffix, wildcard and equals-ignore-case under anything-but, as the guide documents today", () => {
    for (const operator of ["prefix", "suffix", "wildcard", "equals-ignore-case"]) {
      expect(rejection({ k: [{ "anything-but": { [operator]: "x" } }] })).toBe("accepted");
      expect(rejection({ k: [{ "anything-but": { [operator]: ["x", "y"] } }] })).toBe("accepted");
    }
  });
});

describe("numeric", () => {
  it.each<[unknown[], string, string]>([
    [[], "Invalid member in numeric match: ]", "$.k[0].numeric"],
    [[50, "<=", 100], "Invalid member in numeric match: 50", "$.k[0].numeric[0]"],
    [[null], "Invalid member in numeric match: null", "$.k[0].numeric[0]"],
    [["operator"], "Unrecognized numeric range operator: operator", "$.k[0].numeric[0]"],
    [["<"], "Value of < must be numeric", "$.k[0].numeric[1]"],
    [["<", "100"], "Value of < must be numeric", "$.k[0].numeric[1]"],
    [["=", "000"], "Value of equals must be numeric", "$.k[0].numeric[1]"],
    [[">=", 1, ">", 2], "Bad numeric range operator: >", "$.k[0].numeric[2]"],
    [[">", 20, "test"], "Bad numeric range operator: test", "$.k[0].numeric[2]"],
    [[">", 20, 30], "Bad value in numeric range: 30", "$.k[0].numeric[2]"],
    [[">", 20, "<="], "Value of <= must be numeric", "$.k[0].numeric[3]"],
    [[">", 20, "<", 30, "<", 50], "Too many terms in numeric range expression", "$.k[0].numeric[4]"],
    [["<", 100, ">", 10], "Too many elements in numeric expression", "$.k[0].numeric[2]"],
    [["=", 1, 2], "Too many elements in numeric expression", "$.k[0].numeric[2]"],
    [[">", 3, "<", 1], "Bottom must be less than top", "$.k[0].numeric[3]"],
    [[">=", 3, "<=", 3], "Bottom must be less than top", "$.k[0].numeric[3]"],
  ])("%j", (numeric, reason, path) => {
    expect(problem({ k: [{ numeric }] })).toEqual({ reason, path });
  });

  it("wants an array", () => {
    expect(rejection({ k: [{ numeric: ">" }] })).toBe("Value of numeric must be an array.");
  });

  // "Filter policy constraints": -10^9..10^9 "with five digits of accuracy after the decimal point"
  // describes matching accuracy; AWS does not refuse a policy for it.
  it("accepts operands beyond -1e9..1e9 or with more than five decimals (Filter policy constraints)", () => {
    expect(rejection({ k: [{ numeric: [">=", -1e9, "<=", 1e9] }] })).toBe("accepted");
    expect(rejection({ k: [{ numeric: ["=", 0.12345] }] })).toBe("accepted");
    expect(rejection({ k: [{ numeric: ["=", 1e-5] }] })).toBe("accepted");
    expect(rejection({ k: [{ numeric: ["=", 1.5e-5] }] })).toBe("accepted");
    expect(rejection({ k: [{ numeric: [">", 1000000000.5] }] })).toBe("accepted");
    expect(rejection({ k: [{ numeric: ["<", -2e9] }] })).toBe("accepted");
    expect(rejection({ k: [{ numeric: ["=", 0.123456] }] })).toBe("accepted");
    expect(rejection({ k: [{ numeric: ["=", 1e-6] }] })).toBe("accepted");
    expect(rejection({ k: [{ numeric: [">", 0, "<=", 5e9] }] })).toBe("accepted");
  });
});

describe("exists and cidr", () => {
  refusedWith([
    [{ k: [{ exists: "no" }] }, "exists match pattern must be either true or false."],
    [{ k: [{ exists: null }] }, "exists match pattern must be either true or false."],
    [{ k: [{ cidr: ["bad-filter"] }] }, "prefix match pattern must be a string"],
    [{ k: [{ cidr: "bad-filter" }] }, "Malformed CIDR, one '/' required"],
    [{ k: [{ cidr: "10.0.0.0/" }] }, "Malformed CIDR, one '/' required"],
    [{ k: [{ cidr: "10.0.0.0/8/8" }] }, "Malformed CIDR, one '/' required"],
    [{ k: [{ cidr: "bad-filter/64" }] }, "Nonstandard IP address: bad-filter"],
    [{ k: [{ cidr: "bad-/64filter" }] }, "Malformed CIDR, mask bits must be an integer"],
    [{ k: [{ cidr: "10.0.0.0/-1" }] }, "Malformed CIDR, mask bits must not be negative"],
    [{ k: [{ cidr: "xx.11.xx/8" }] }, "Nonstandard IP address: xx.11.xx"],
    [{ k: [{ cidr: "xxxx:db8:1234:1a00::/64" }] }, "Nonstandard IP address: xxxx:db8:1234:1a00::"],
    [{ k: [{ cidr: "300.0.0.0/8" }] }, "Invalid IP address: 300.0.0.0"],
    [{ k: [{ cidr: "1:2:3/64" }] }, "Invalid IP address: 1:2:3"],
    [{ k: [{ cidr: "10.0.0.0/32" }] }, "IPv4 mask bits must be < 32"],
    [{ k: [{ cidr: "2001:db8::/128" }] }, "IPv6 mask bits must be < 128"],
  ]);
});

describe("limits (Filter policy constraints)", () => {
  const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);

  it("allows five keys and refuses six, in both scopes", () => {
    const five = Object.fromEntries(values(5).map((k) => [k, ["x"]]));
    const six = Object.fromEntries(values(6).map((k) => [k, ["x"]]));
    expect(rejection(five)).toBe("accepted");
    expect(rejection(six)).toBe("Filter policy can not have more than 5 keys");
    expect(rejection(six, "MessageBody")).toBe("Filter policy can not have more than 5 keys");
  });

  it("counts only leaf keys of a nested policy", () => {
    const nested = { a: { b: { c: ["x"] }, d: ["x"] }, e: { f: ["x"], g: ["x"], h: ["x"] } };
    const compiled = compileFilterPolicy(nested, "MessageBody");
    expect(compiled.ok && compiled.policy.budget.keys).toBe(5);
    expect(rejection({ ...nested, i: ["x"] }, "MessageBody")).toBe("Filter policy can not have more than 5 keys");
  });

  it("multiplies the values of each key: 150 is allowed, 151 is too complex", () => {
    expect(rejection({ k: values(150) })).toBe("accepted");
    expect(rejection({ k: values(151) })).toBe("Filter policy is too complex");
    expect(rejection({ a: values(10), b: values(15) })).toBe("accepted");
    expect(rejection({ a: values(100), b: values(51) })).toBe("Filter policy is too complex");
    expect(rejection({ a: values(10), b: values(16) })).toBe("Filter policy is too complex");
  });

  it("adds the branches of $or and multiplies them with the keys beside it", () => {
    // 3 × (6 + 4 × (4 + 7)) = 150
    const atLimit = {
      source: values(3),
      $or: [
        { metricName: values(6) },
        { metricType: values(4), $or: [{ metricId: values(4) }, { spaceId: values(7) }] },
      ],
    };
    expect(rejection(atLimit)).toBe("accepted");
    // 4 × (6 + 4 × (4 + 4)) = 152
    const over = {
      ...atLimit,
      source: values(4),
      $or: [
        { metricName: values(6) },
        { metricType: values(4), $or: [{ metricId: values(4) }, { spaceId: values(4) }] },
      ],
    };
    expect(rejection(over)).toBe("Filter policy is too complex");
  });

  it("counts a nested key's values once per level of nesting (4×3 × 3×2 × 3×1 = 216)", () => {
    const nested = { key_a: { key_b: { key_c: values(4) } }, key_d: { key_e: values(3) }, key_f: values(3) };
    expect(rejection(nested, "MessageBody")).toBe("Filter policy is too complex");
    const compiled = compileFilterPolicy(
      { key_a: { key_b: { key_c: values(4) } }, key_d: { key_e: values(3) } },
      "MessageBody",
    );
    expect(compiled.ok && compiled.policy.budget.combinations).toBe(72);
  });

  it("refuses policies over 256 KB before reading them", () => {
    const big = JSON.stringify({ k: ["x".repeat(262144)] });
    expect(rejection(big)).toBe("Filter policy is larger than the maximum size of 262144 bytes");
    expect(rejection(`${big.slice(0, 300000)}`)).toBe("Filter policy is larger than the maximum size of 262144 bytes");
    const fits = JSON.stringify({ k: ["x".repeat(262144 - 10)] });
    expect(fits.length).toBe(262144);
    expect(rejection(fits)).toBe("accepted");
  });

  it("counts bytes, not characters", () => {
    const compiled = compileFilterPolicy('{"k":["é"]}', "MessageAttributes");
    expect(compiled.ok && compiled.policy.budget.bytes).toBe(12);
  });
});

describe("budget", () => {
  it("reports keys, combinations and bytes against AWS's limits", () => {
    const text = '{"customer_interests":["rugby","tennis"],"price_usd":[{"numeric":[">",100]}]}';
    const compiled = compileFilterPolicy(text, "MessageAttributes");
    expect(compiled.ok && compiled.policy.budget).toEqual({
      keys: 2,
      maxKeys: 5,
      combinations: 2,
      maxCombinations: 150,
      bytes: text.length,
      maxBytes: 262144,
    });
  });

  it("counts a key named in two $or branches once", () => {
    const compiled = compileFilterPolicy(
      {
        $or: [
          { a: ["1"], b: ["1"] },
          { a: ["2"], c: ["1"] },
        ],
      },
      "MessageAttributes",
    );
    expect(compiled.ok && compiled.policy.budget.keys).toBe(3);
    expect(compiled.ok && compiled.policy.budget.combinations).toBe(2);
  });

  it("an empty policy uses nothing", () => {
    const compiled = compileFilterPolicy({}, "MessageBody");
    expect(compiled.ok && compiled.policy.budget).toMatchObject({ keys: 0, combinations: 0, bytes: 2 });
  });
});

// Pieces of the JSON parser's messages that several of AWS's reasons share.
const VALUE_TOKENS = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
const unexpected = (character: string, expecting: string) =>
  `Unexpected character ('${character}' (code ${character.charCodeAt(0)})): ${expecting}`;
const MISSING_CLOSE =
  "Unexpected end-of-input: expected close marker for Object (start marker at " +
  "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1])";
const CONTROL_CHARACTER =
  "Illegal unquoted character ((CTRL-CHAR, code 1)): has to be escaped using backslash to be included in string value";

describe("policy text", () => {
  // AWS's reason is "failed to parse JSON. " followed by the parser's message, at a line and column.
  it.each<[string, string, number, number]>([
    ["invalid-json", `Unrecognized token 'invalid': was expecting ${VALUE_TOKENS}`, 1, 8],
    ["{invalidjson}", unexpected("i", "was expecting double-quote to start field name"), 1, 2],
    ['{"a" ["x"]}', unexpected("[", "was expecting a colon to separate field name and value"), 1, 6],
    ['{"a": ["x"] "b": 1}', unexpected('"', "was expecting comma to separate Object entries"), 1, 13],
    ['{"a": ["x" "y"]}', unexpected('"', "was expecting comma to separate Array entries"), 1, 12],
    ['{"a": ["x",]}', unexpected("]", `expected a valid value ${VALUE_TOKENS}`), 1, 12],
    ['{\n  "a": [tru]\n}', `Unrecognized token 'tru': was expecting ${VALUE_TOKENS}`, 2, 12],
    ['{"a": ["x"]', MISSING_CLOSE, 1, 12],
    ['{"a": ["x\u0001"]}', CONTROL_CHARACTER, 1, 10],
    ['{"a": [01]}', "Invalid numeric value: Leading zeroes not allowed", 1, 9],
  ])("%j", (text, message, line, column) => {
    expect(problem(text)).toEqual({
      reason: `failed to parse JSON. ${message}`,
      path: "$",
      position: { line, column },
    });
  });

  it("reads the same policy from text as from its JSON", () => {
    const text = compileFilterPolicy('{"a": ["x", {"prefix": "y"}]}', "MessageAttributes");
    const json = compileFilterPolicy({ a: ["x", { prefix: "y" }] }, "MessageAttributes");
    expect(text.ok && text.policy.source).toEqual(json.ok && json.policy.source);
  });

  it("treats empty text as no policy", () => {
    const compiled = compileFilterPolicy("  ", "MessageAttributes");
    expect(compiled.ok && compiled.policy.source).toEqual({});
  });
});
