import { describe, expect, it } from "vitest";
import {
  emptyCondition,
  emptyRow,
  formBudget,
  formIssues,
  formToPolicy,
  isOrGroup,
  OPERATORS,
  operatorsFor,
  policyToForm,
  type FormRow,
  type KeyRow,
  type OrGroup,
  type PolicyForm,
} from "./form-model";
import type { FilterPolicyScope } from "./types";

const BOTH: FilterPolicyScope[] = ["MessageAttributes", "MessageBody"];
const BODY: FilterPolicyScope[] = ["MessageBody"];

function formOf(policy: unknown, scope: FilterPolicyScope = "MessageBody"): PolicyForm {
  const result = policyToForm(policy, scope);
  if (!result.ok) throw new Error(`policyToForm refused: ${result.reason} at ${result.path}`);
  return result.form;
}

function keyRow(row: FormRow | undefined): KeyRow {
  if (!row || isOrGroup(row)) throw new Error("expected a key row");
  return row;
}

function orGroup(row: FormRow | undefined): OrGroup {
  if (!row || !isOrGroup(row)) throw new Error("expected an $or group");
  return row;
}

/** Every shape the form shows, with the scopes it is valid in. */
const roundTrips: Array<[name: string, policy: Record<string, unknown>, scopes: FilterPolicyScope[]]> = [
  ["equals strings", { key: ["a", "b"] }, BOTH],
  ["equals of every JSON scalar", { key: ["a", 5, -0.5, true, false, null] }, BOTH],
  ["prefix", { key: [{ prefix: "x" }] }, BOTH],
  ["suffix", { key: [{ suffix: ".png" }] }, BOTH],
  ["equals-ignore-case", { key: [{ "equals-ignore-case": "GoLd" }] }, BOTH],
  ["wildcard", { key: [{ wildcard: "order-*-eu" }] }, BOTH],
  ["cidr", { key: [{ cidr: "10.0.0.0/24" }] }, BOTH],
  ["anything-but list", { key: [{ "anything-but": ["a", "b"] }] }, BOTH],
  ["anything-but list of one", { key: [{ "anything-but": ["a"] }] }, BOTH],
  ["anything-but bare string", { key: [{ "anything-but": "a" }] }, BOTH],
  ["anything-but numbers", { price: [{ "anything-but": [100, 500] }] }, BOTH],
  ["anything-but bare number", { price: [{ "anything-but": 100 }] }, BOTH],
  ["anything-but empty list", { key: [{ "anything-but": [] }] }, BOTH],
  ["anything-but prefix", { key: [{ "anything-but": { prefix: "x" } }] }, BOTH],
  ["anything-but suffix", { key: [{ "anything-but": { suffix: "x" } }] }, BOTH],
  ["anything-but wildcard", { key: [{ "anything-but": { wildcard: "x*" } }] }, BOTH],
  ["anything-but equals-ignore-case", { key: [{ "anything-but": { "equals-ignore-case": "x" } }] }, BOTH],
  ["anything-but equals-ignore-case list", { key: [{ "anything-but": { "equals-ignore-case": ["x", "y"] } }] }, BOTH],
  ["numeric range", { key: [{ numeric: [">", 0, "<=", 100] }] }, BOTH],
  ["numeric single bound", { key: [{ numeric: ["=", 301.5] }] }, BOTH],
  ["numeric bounds in the order written", { key: [{ numeric: ["<=", 5, ">", 0] }] }, BOTH],
  ["exists false", { key: [{ exists: false }] }, BOTH],
  ["exists true", { key: [{ exists: true }] }, BOTH],
  ["mixed alternatives", { key: ["a", { prefix: "b" }, { numeric: ["=", 5] }] }, BOTH],
  ["equals interleaved with operators", { key: ["a", { prefix: "c" }, "b", "d", { exists: true }, null] }, BOTH],
  ["empty array", { key: [] }, BOTH],
  ["several keys, order kept", { zeta: ["z"], alpha: [1], mid: [{ exists: true }] }, BOTH],
  ["empty policy", {}, BOTH],
  ["odd key names", { "a/b~c": ["x"], "": ["y"], "$not-or": ["z"] }, BOTH],
  ["$or at the top", { $or: [{ a: ["x"] }, { b: ["y"] }] }, BOTH],
  ["$or among keys, position kept", { a: ["x"], $or: [{ b: ["y"] }, { c: [{ prefix: "z" }] }], d: [1] }, BOTH],
  [
    "$or with three branches and AND inside a branch",
    { $or: [{ a: ["x"], b: ["y"] }, { c: ["z"] }, { d: [1] }] },
    BOTH,
  ],
  ["$or nested in a branch", { $or: [{ a: ["x"] }, { b: ["y"], $or: [{ c: [1] }, { d: [2] }] }] }, BOTH],
  ["$or with an empty branch", { $or: [{}, { a: ["x"] }] }, BOTH],
  ["nested object", { customer: { tier: ["gold"] } }, BODY],
  [
    "deep nesting with operators",
    { a: { b: { c: ["x", { prefix: "y" }] } }, d: { e: [{ numeric: [">=", 1] }] } },
    BODY,
  ],
  ["empty nested object", { a: {} }, BODY],
  ["$or inside a nested object", { detail: { scope: ["Service"], $or: [{ source: ["s"] }, { type: ["t"] }] } }, BODY],
  ["nesting inside $or branches", { $or: [{ customer: { tier: ["gold"] } }, { region: ["eu"] }] }, BODY],
];

describe("policyToForm → formToPolicy round trip", () => {
  const cases = roundTrips.flatMap(([name, policy, scopes]) =>
    scopes.map((scope) => [name, scope, policy] as [string, FilterPolicyScope, Record<string, unknown>]),
  );

  it.each(cases)("%s (%s)", (_name, scope, policy) => {
    const back = formToPolicy(formOf(policy, scope));
    expect(back).toEqual(policy);
    // Same keys in the same order, all the way down.
    expect(JSON.stringify(back)).toBe(JSON.stringify(policy));
  });

  it("covers every operator", () => {
    const seen = new Set<string>();
    const visit = (rows: FormRow[]): void => {
      for (const row of rows) {
        if (isOrGroup(row)) row.branches.forEach((branch) => visit(branch.rows));
        else if (row.children) visit(row.children);
        else row.conditions.forEach((condition) => seen.add(condition.operator));
      }
    };
    for (const [, policy] of roundTrips) visit(formOf(policy).rows);
    expect([...seen].sort()).toEqual([...OPERATORS].sort());
  });

  it("keeps a __proto__ key as an own key", () => {
    const policy = JSON.parse('{"__proto__": ["x"], "a": ["y"]}') as Record<string, unknown>;
    const back = formToPolicy(formOf(policy, "MessageAttributes"));
    expect(Object.keys(back)).toEqual(["__proto__", "a"]);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(JSON.stringify(back)).toBe(JSON.stringify(policy));
  });

  it("does not share arrays between the form and the JSON it writes", () => {
    const form = formOf({ key: ["a", "b"] });
    const back = formToPolicy(form) as { key: string[] };
    back.key.push("c");
    expect(keyRow(form.rows[0]).conditions[0]?.values).toEqual(["a", "b"]);
  });
});

describe("policyToForm: the form's shape", () => {
  it("groups consecutive plain values into one equals condition, in place", () => {
    const row = keyRow(formOf({ key: ["a", "b", { prefix: "c" }] }).rows[0]);
    expect(row.conditions.map(({ operator, values }) => ({ operator, values }))).toEqual([
      { operator: "equals", values: ["a", "b"] },
      { operator: "prefix", values: ["c"] },
    ]);
  });

  it("keeps plain values separated by an operator as separate equals conditions", () => {
    const row = keyRow(formOf({ key: ["a", { prefix: "c" }, "b"] }).rows[0]);
    expect(row.conditions.map(({ operator, values }) => ({ operator, values }))).toEqual([
      { operator: "equals", values: ["a"] },
      { operator: "prefix", values: ["c"] },
      { operator: "equals", values: ["b"] },
    ]);
  });

  it("reads a numeric range as one condition with two bounds", () => {
    const row = keyRow(formOf({ key: [{ numeric: [">", 0, "<=", 5] }] }).rows[0]);
    expect(row.conditions).toHaveLength(1);
    expect(row.conditions[0]).toMatchObject({
      operator: "numeric",
      values: [],
      numeric: [
        { op: ">", value: 0 },
        { op: "<=", value: 5 },
      ],
    });
  });

  it("reads operators into operator, values, exists and list", () => {
    const row = keyRow(
      formOf({
        key: [
          { exists: false },
          { "anything-but": { prefix: "x" } },
          { "anything-but": ["a", 1] },
          { cidr: "10.0.0.0/8" },
        ],
      }).rows[0],
    );
    expect(row.conditions.map(({ id: _id, ...rest }) => rest)).toEqual([
      { operator: "exists", values: [], exists: false },
      { operator: "anything-but-prefix", values: ["x"] },
      { operator: "anything-but", values: ["a", 1], list: true },
      { operator: "cidr", values: ["10.0.0.0/8"] },
    ]);
  });

  it("reads nested objects as children and $or as a group with branches", () => {
    const form = formOf({ customer: { tier: ["gold"], $or: [{ a: ["x"] }, { b: ["y"] }] } });
    const customer = keyRow(form.rows[0]);
    expect(customer.key).toBe("customer");
    expect(customer.conditions).toEqual([]);
    expect(keyRow(customer.children?.[0]).key).toBe("tier");
    const group = orGroup(customer.children?.[1]);
    expect(group.branches.map((branch) => keyRow(branch.rows[0]).key)).toEqual(["a", "b"]);
  });
});

describe("policyToForm: ids", () => {
  const policy = {
    a: ["x", "y", { prefix: "p" }, "z"],
    "s/l~": [1],
    $or: [{ b: [1] }, { c: { d: [{ exists: true }] } }],
  };

  it("is a pure function of its input", () => {
    expect(policyToForm(policy, "MessageBody")).toEqual(policyToForm(structuredClone(policy), "MessageBody"));
  });

  it("derives ids from JSON Pointers to the rows, groups and first alternative of each condition", () => {
    const form = formOf(policy);
    const a = keyRow(form.rows[0]);
    expect(a.id).toBe("key:/a");
    expect(a.conditions.map((condition) => condition.id)).toEqual(["cond:/a/0", "cond:/a/2", "cond:/a/3"]);
    expect(keyRow(form.rows[1]).id).toBe("key:/s~1l~0");
    const group = orGroup(form.rows[2]);
    expect(group.id).toBe("or:/$or");
    const c = keyRow(group.branches[1]?.rows[0]);
    expect(c.id).toBe("key:/$or/1/c");
    expect(keyRow(c.children?.[0]).conditions[0]?.id).toBe("cond:/$or/1/c/d/0");
  });

  it("gives every row, group and condition a distinct id", () => {
    const ids: string[] = [];
    const visit = (rows: FormRow[]): void => {
      for (const row of rows) {
        ids.push(row.id);
        if (isOrGroup(row)) row.branches.forEach((branch) => visit(branch.rows));
        else {
          row.conditions.forEach((condition) => ids.push(condition.id));
          if (row.children) visit(row.children);
        }
      }
    };
    visit(formOf(policy).rows);
    expect(ids.length).toBeGreaterThan(8);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("new rows and conditions get ids that differ from each other and from path ids", () => {
    const ids = [emptyRow().id, emptyRow().id, emptyCondition().id, emptyCondition("numeric").id];
    expect(new Set(ids).size).toBe(4);
    for (const id of ids) expect(id).toMatch(/^new-/);
  });
});

describe("policyToForm: what the form does not show", () => {
  it.each<[string, unknown, FilterPolicyScope, string, RegExp]>([
    [
      "nesting in MessageAttributes scope",
      { customer: { tier: ["gold"] } },
      "MessageAttributes",
      "/customer",
      /MessageAttributes scope has no nesting/,
    ],
    [
      "nesting inside an $or branch, MessageAttributes",
      { $or: [{ a: ["x"] }, { b: { c: ["y"] } }] },
      "MessageAttributes",
      "/$or/1/b",
      /MessageAttributes/,
    ],
    ["a bare string instead of an array", { a: "x" }, "MessageAttributes", "/a", /must be an array/],
    ["a bare number instead of an array", { a: 5 }, "MessageBody", "/a", /or an object of nested keys/],
    ["null as a key's value", { a: null }, "MessageBody", "/a", /not null/],
    ["a bare value deep in a nested object", { a: { b: { c: true } } }, "MessageBody", "/a/b/c", /bare value/],
    ["a policy that is an array", [{ a: ["x"] }], "MessageBody", "", /JSON object/],
    ["a policy that is null", null, "MessageAttributes", "", /JSON object/],
    ["a policy that is a string", '{"a": ["x"]}', "MessageAttributes", "", /JSON object/],
    ["$or with one branch", { $or: [{ a: ["x"] }] }, "MessageBody", "/$or", /at least two/],
    ["$or that is an object", { $or: { a: ["x"] } }, "MessageBody", "/$or", /key named "\$or"/],
    [
      "$or of match values (AWS reads a key named $or)",
      { $or: [{ prefix: "a" }, { suffix: "b" }] },
      "MessageBody",
      "/$or",
      /key named "\$or"/,
    ],
    ["$or of plain values", { $or: ["a", "b"] }, "MessageAttributes", "/$or", /key named "\$or"/],
    ["an unknown operator", { a: [{ regex: "x" }] }, "MessageBody", "/a/0/regex", /"regex" is not/],
    [
      "two operators in one object",
      { a: [{ prefix: "x", suffix: "y" }] },
      "MessageBody",
      "/a/0",
      /exactly one operator; this one has 2/,
    ],
    ["an empty operator object", { a: ["x", {}] }, "MessageBody", "/a/1", /this one has 0/],
    ["an array inside a key's array", { a: [["x"]] }, "MessageBody", "/a/0", /not an array/],
    ["prefix of a number", { a: [{ prefix: 5 }] }, "MessageBody", "/a/0/prefix", /takes a string/],
    ["cidr of a list", { a: [{ cidr: ["10.0.0.0/8"] }] }, "MessageBody", "/a/0/cidr", /takes a string/],
    ["numeric of a string", { a: [{ numeric: ["<", "5"] }] }, "MessageBody", "/a/0/numeric", /numeric/],
    [
      "numeric with three bounds",
      { a: [{ numeric: [">", 0, "<", 5, "<", 6] }] },
      "MessageBody",
      "/a/0/numeric",
      /numeric/,
    ],
    ["numeric with an unknown comparison", { a: [{ numeric: ["!=", 5] }] }, "MessageBody", "/a/0/numeric", /numeric/],
    ["exists of a string", { a: [{ exists: "true" }] }, "MessageBody", "/a/0/exists", /true or false/],
    [
      "anything-but of a boolean",
      { a: [{ "anything-but": true }] },
      "MessageBody",
      "/a/0/anything-but",
      /strings or numbers/,
    ],
    [
      "anything-but listing null",
      { a: [{ "anything-but": ["x", null] }] },
      "MessageBody",
      "/a/0/anything-but/1",
      /strings or numbers/,
    ],
    [
      "anything-but of numeric",
      { a: [{ "anything-but": { numeric: [">", 1] } }] },
      "MessageBody",
      "/a/0/anything-but",
      /takes a value, a list/,
    ],
    [
      "anything-but prefix of a number",
      { a: [{ "anything-but": { prefix: 1 } }] },
      "MessageBody",
      "/a/0/anything-but/prefix",
      /takes a string/,
    ],
    ["NaN", { a: [Number.NaN] }, "MessageBody", "/a/0", /not a JSON number/],
    ["undefined", { a: ["x", undefined] }, "MessageBody", "/a/1", /not a JSON value/],
    ["a Date", { a: [new Date(0)] }, "MessageBody", "/a/0", /non-JSON object/],
  ])("refuses %s", (_name, policy, scope, path, reason) => {
    const result = policyToForm(policy, scope);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.path).toBe(path);
    expect(result.reason).toMatch(reason);
  });

  it("accepts in MessageBody scope the nesting it refuses in MessageAttributes scope", () => {
    expect(policyToForm({ customer: { tier: ["gold"] } }, "MessageBody").ok).toBe(true);
  });
});

describe("operatorsFor", () => {
  it("offers every operator for any value", () => {
    expect(operatorsFor("MessageBody", "any")).toEqual([...OPERATORS]);
    expect(operatorsFor("MessageBody", "any")).toHaveLength(13);
  });

  it("offers numbers exact values, anything-but, numeric comparisons and exists", () => {
    expect(operatorsFor("MessageAttributes", "number")).toEqual(["equals", "anything-but", "numeric", "exists"]);
  });

  it("offers strings everything but numeric, cidr included", () => {
    const ops = operatorsFor("MessageAttributes", "string");
    expect(ops).not.toContain("numeric");
    expect(ops).toContain("cidr");
    expect(ops).toContain("anything-but-equals-ignore-case");
    expect(ops).toHaveLength(12);
    expect(ops[0]).toBe("equals");
  });

  it.each(["string", "number", "any"] as const)("offers the same %s operators in both scopes", (kind) => {
    expect(operatorsFor("MessageAttributes", kind)).toEqual(operatorsFor("MessageBody", kind));
  });

  it("returns a copy the caller may change", () => {
    operatorsFor("MessageBody", "any").pop();
    expect(operatorsFor("MessageBody", "any")).toHaveLength(13);
  });
});

describe("emptyRow and emptyCondition", () => {
  it("a new row has no key and one empty equals condition", () => {
    const row = emptyRow();
    expect(row.key).toBe("");
    expect(row.children).toBeUndefined();
    expect(row.conditions).toHaveLength(1);
    expect(row.conditions[0]).toMatchObject({ operator: "equals", values: [] });
  });

  it.each([
    ["equals", { operator: "equals", values: [] }],
    ["numeric", { operator: "numeric", values: [], numeric: [{ op: "=", value: 0 }] }],
    ["exists", { operator: "exists", values: [], exists: true }],
    ["prefix", { operator: "prefix", values: [] }],
  ] as const)("a new %s condition", (operator, expected) => {
    const { id: _id, ...rest } = emptyCondition(operator);
    expect(rest).toEqual(expected);
  });

  it("defaults to equals", () => {
    expect(emptyCondition().operator).toBe("equals");
  });
});

describe("formToPolicy of an edited form", () => {
  it("adds a row", () => {
    const form = formOf({ a: ["x"] });
    const row = emptyRow();
    row.key = "b";
    row.conditions[0]?.values.push("y", 2);
    form.rows.push(row);
    expect(formToPolicy(form)).toEqual({ a: ["x"], b: ["y", 2] });
  });

  it("changes an operator", () => {
    const form = formOf({ a: ["x", { suffix: "z" }] });
    const condition = keyRow(form.rows[0]).conditions[0];
    if (!condition) throw new Error("no condition");
    condition.operator = "prefix";
    expect(formToPolicy(form)).toEqual({ a: [{ prefix: "x" }, { suffix: "z" }] });
  });

  it("changes an equals condition to anything-but, written bare for one value and as a list for several", () => {
    const form = formOf({ a: ["x"], b: ["y", "z"] });
    for (const row of form.rows) {
      const condition = keyRow(row).conditions[0];
      if (condition) condition.operator = "anything-but";
    }
    expect(formToPolicy(form)).toEqual({ a: [{ "anything-but": "x" }], b: [{ "anything-but": ["y", "z"] }] });
  });

  it("removes a value", () => {
    const form = formOf({ a: ["x", "y", "z"] });
    const condition = keyRow(form.rows[0]).conditions[0];
    condition?.values.splice(1, 1);
    expect(formToPolicy(form)).toEqual({ a: ["x", "z"] });
  });

  it("removes a value from an anything-but list and keeps it a list", () => {
    const form = formOf({ a: [{ "anything-but": ["x", "y"] }] });
    keyRow(form.rows[0]).conditions[0]?.values.pop();
    expect(formToPolicy(form)).toEqual({ a: [{ "anything-but": ["x"] }] });
  });

  it("removes the last value of a prefix condition, which leaves the array", () => {
    const form = formOf({ a: ["x", { prefix: "p" }] });
    keyRow(form.rows[0]).conditions[1]?.values.pop();
    expect(formToPolicy(form)).toEqual({ a: ["x"] });
  });

  it("writes one object per value of a prefix condition with several values", () => {
    const form = formOf({ a: [{ prefix: "p" }] });
    keyRow(form.rows[0]).conditions[0]?.values.push("q");
    expect(formToPolicy(form)).toEqual({ a: [{ prefix: "p" }, { prefix: "q" }] });
  });

  it("edits a numeric bound and adds an upper bound", () => {
    const form = formOf({ price: [{ numeric: [">", 0] }] });
    const condition = keyRow(form.rows[0]).conditions[0];
    condition?.numeric?.push({ op: "<=", value: 150 });
    expect(formToPolicy(form)).toEqual({ price: [{ numeric: [">", 0, "<=", 150] }] });
  });

  it("flips exists", () => {
    const form = formOf({ store: [{ exists: true }] });
    const condition = keyRow(form.rows[0]).conditions[0];
    if (condition) condition.exists = false;
    expect(formToPolicy(form)).toEqual({ store: [{ exists: false }] });
  });

  it("adds a condition after the existing ones", () => {
    const form = formOf({ a: ["x"] });
    const condition = emptyCondition("anything-but-suffix");
    condition.values.push(".tmp");
    keyRow(form.rows[0]).conditions.push(condition);
    expect(formToPolicy(form)).toEqual({ a: ["x", { "anything-but": { suffix: ".tmp" } }] });
  });

  it("adds an $or group and a nested key", () => {
    const form = formOf({ a: ["x"] });
    form.rows.push({
      id: "g",
      kind: "or",
      branches: [
        { rows: [{ id: "b", key: "b", conditions: [{ id: "b0", operator: "equals", values: [1] }] }] },
        {
          rows: [
            {
              id: "c",
              key: "c",
              conditions: [],
              children: [
                { id: "d", key: "d", conditions: [{ id: "d0", operator: "exists", values: [], exists: false }] },
              ],
            },
          ],
        },
      ],
    });
    expect(formToPolicy(form)).toEqual({ a: ["x"], $or: [{ b: [1] }, { c: { d: [{ exists: false }] } }] });
  });

  it("renames a key and keeps its place", () => {
    const form = formOf({ a: [1], b: [2], c: [3] });
    keyRow(form.rows[1]).key = "z";
    expect(Object.keys(formToPolicy(form))).toEqual(["a", "z", "c"]);
  });

  it("writes a key with nested keys as an object and ignores its conditions", () => {
    const row: KeyRow = {
      id: "k",
      key: "k",
      conditions: [{ id: "c", operator: "equals", values: ["dropped"] }],
      children: [{ id: "n", key: "n", conditions: [{ id: "n0", operator: "equals", values: ["kept"] }] }],
    };
    expect(formToPolicy({ rows: [row] })).toEqual({ k: { n: ["kept"] } });
  });

  it("merges a repeated key: conditions of leaf rows are concatenated at the first row's place", () => {
    const form: PolicyForm = {
      rows: [
        { id: "1", key: "a", conditions: [{ id: "1a", operator: "equals", values: ["x"] }] },
        { id: "2", key: "b", conditions: [{ id: "2a", operator: "equals", values: ["y"] }] },
        { id: "3", key: "a", conditions: [{ id: "3a", operator: "prefix", values: ["p"] }] },
      ],
    };
    const policy = formToPolicy(form);
    expect(policy).toEqual({ a: ["x", { prefix: "p" }], b: ["y"] });
    expect(Object.keys(policy)).toEqual(["a", "b"]);
  });

  it("merges a repeated nested key into one object", () => {
    const form: PolicyForm = {
      rows: [
        {
          id: "1",
          key: "c",
          conditions: [],
          children: [{ id: "1a", key: "x", conditions: [{ id: "1b", operator: "equals", values: [1] }] }],
        },
        {
          id: "2",
          key: "c",
          conditions: [],
          children: [{ id: "2a", key: "y", conditions: [{ id: "2b", operator: "equals", values: [2] }] }],
        },
      ],
    };
    expect(formToPolicy(form)).toEqual({ c: { x: [1], y: [2] } });
  });

  it("lets the first row of a repeated key decide between conditions and nested keys", () => {
    const leaf: KeyRow = { id: "1", key: "a", conditions: [{ id: "1a", operator: "equals", values: ["x"] }] };
    const nested: KeyRow = { id: "2", key: "a", conditions: [], children: [leaf] };
    expect(formToPolicy({ rows: [leaf, nested] })).toEqual({ a: ["x"] });
    expect(formToPolicy({ rows: [nested, leaf] })).toEqual({ a: { a: ["x"] } });
  });

  it("writes several $or groups at one level as the first group with the others inside each branch", () => {
    const form: PolicyForm = {
      rows: [
        { id: "a", key: "a", conditions: [{ id: "a0", operator: "equals", values: [1] }] },
        orOf("g1", [{ b: [1] }, { c: [2] }]),
        orOf("g2", [{ d: [3] }, { e: [4] }]),
      ],
    };
    const policy = formToPolicy(form);
    expect(policy).toEqual({
      a: [1],
      $or: [
        { b: [1], $or: [{ d: [3] }, { e: [4] }] },
        { c: [2], $or: [{ d: [3] }, { e: [4] }] },
      ],
    });
    // Same budget as the form: 1 × (1 + 1) × (1 + 1).
    expect(formBudget(formOf(policy))).toEqual(formBudget(form));
    expect(formBudget(form).combinations).toBe(4);
  });

  it("gives the $or slot to the group, not to a key named $or", () => {
    const form: PolicyForm = {
      rows: [
        { id: "k", key: "$or", conditions: [{ id: "k0", operator: "equals", values: ["lost"] }] },
        orOf("g", [{ a: [1] }, { b: [2] }]),
      ],
    };
    expect(formToPolicy(form)).toEqual({ $or: [{ a: [1] }, { b: [2] }] });
  });

  it("comes back to the same form through the JSON, up to ids and merged equals runs", () => {
    const form: PolicyForm = {
      rows: [
        {
          id: "x",
          key: "k",
          conditions: [
            { id: "1", operator: "equals", values: ["a"] },
            { id: "2", operator: "equals", values: ["b"] },
            { id: "3", operator: "numeric", values: [], numeric: [{ op: ">=", value: 1 }] },
          ],
        },
      ],
    };
    const again = formOf(formToPolicy(form));
    expect(keyRow(again.rows[0]).conditions.map(({ operator, values }) => ({ operator, values }))).toEqual([
      { operator: "equals", values: ["a", "b"] },
      { operator: "numeric", values: [] },
    ]);
    expect(formToPolicy(again)).toEqual(formToPolicy(form));
  });
});

/** An $or group whose branches are read from JSON (test shorthand). */
function orOf(id: string, branches: Array<Record<string, unknown>>): OrGroup {
  return { id, kind: "or", branches: branches.map((branch) => formOf(branch)) };
}

describe("formBudget", () => {
  it.each<[string, Record<string, unknown>, { keys: number; combinations: number }]>([
    [
      "the guide's flat example: 3 × 1 × 2",
      { key_a: ["1", "2", "3"], key_b: ["1"], key_c: ["1", "2"] },
      { keys: 3, combinations: 6 },
    ],
    ["$or adds: 2 × (3 + 1)", { a: [1, 2], $or: [{ b: [1, 2, 3] }, { c: [1] }] }, { keys: 3, combinations: 8 }],
    [
      "$or in $or: 2 × (1 + 2 × (3 + 1))",
      { a: [1, 2], $or: [{ b: [1] }, { c: [1, 2], $or: [{ d: [1, 2, 3] }, { e: [1] }] }] },
      { keys: 5, combinations: 18 },
    ],
    [
      "a key in several branches is one key",
      { a: ["x"], $or: [{ a: ["y"] }, { b: ["z"] }] },
      { keys: 2, combinations: 2 },
    ],
    [
      "each alternative is a value: 3",
      { k: ["a", { prefix: "b" }, { numeric: ["=", 5] }] },
      { keys: 1, combinations: 3 },
    ],
    [
      "anything-but with a list is one value",
      { k: [{ "anything-but": ["a", "b", "c"] }] },
      { keys: 1, combinations: 1 },
    ],
    ["numeric range is one value", { k: [{ numeric: [">", 0, "<", 1] }], j: [1, 2] }, { keys: 2, combinations: 2 }],
    [
      "nesting multiplies by depth: the guide's example, 3 × 4 × 2 × 3",
      { key_a: { key_b: { key_c: ["1", "2", "3", "4"] } }, key_d: { key_e: ["1", "2", "3"] } },
      { keys: 2, combinations: 72 },
    ],
    ["one nested key: 1 value × depth 2", { customer: { tier: ["gold"] } }, { keys: 1, combinations: 2 }],
    [
      "$or inside a nested object: (1 × 2) × ((1 × 2) + (2 × 2))",
      { detail: { scope: ["Service"], $or: [{ source: ["s"] }, { type: ["t", "u"] }] } },
      { keys: 3, combinations: 12 },
    ],
    [
      "the same leaf name under two parents is two keys",
      { a: { x: [1] }, b: { x: [1] } },
      { keys: 2, combinations: 4 },
    ],
    ["an empty policy", {}, { keys: 0, combinations: 1 }],
    ["an empty nested object has no leaf", { a: {} }, { keys: 0, combinations: 1 }],
  ])("%s", (_name, policy, expected) => {
    expect(formBudget(formOf(policy))).toEqual(expected);
  });

  it("counts a key with no values yet as one, so a new row does not zero the meter", () => {
    const form = formOf({ a: [1, 2] });
    form.rows.push(emptyRow());
    expect(formBudget(form)).toEqual({ keys: 2, combinations: 2 });
  });

  it("counts each value of a prefix condition with several values", () => {
    const form = formOf({ a: [{ prefix: "p" }] });
    keyRow(form.rows[0]).conditions[0]?.values.push("q", "r");
    expect(formBudget(form).combinations).toBe(3);
  });
});

describe("formIssues", () => {
  it("finds nothing in a form read from valid JSON but the one key without a name", () => {
    const found: Array<{ id: string; message: string }> = [];
    for (const [, policy, scopes] of roundTrips) {
      for (const scope of scopes) found.push(...formIssues(formOf(policy, scope), scope));
    }
    // "odd key names" (both scopes) has the key "".
    expect(found).toEqual([
      { id: "key:/", message: "The key has no name." },
      { id: "key:/", message: "The key has no name." },
    ]);
  });

  it("reports a key without a name", () => {
    expect(formIssues({ rows: [emptyRow()] }, "MessageBody").map((issue) => issue.message)).toEqual(
      expect.arrayContaining(["The key has no name."]),
    );
  });

  it("reports conditions that write nothing", () => {
    const row = emptyRow();
    row.key = "a";
    const condition = row.conditions[0];
    expect(formIssues({ rows: [row] }, "MessageBody")).toEqual([
      { id: condition?.id, message: "The condition has no value, so the JSON leaves it out." },
    ]);
  });

  it("reports a repeated key, saying how it is merged", () => {
    const form: PolicyForm = {
      rows: [
        { id: "1", key: "a", conditions: [{ id: "1a", operator: "equals", values: ["x"] }] },
        { id: "2", key: "a", conditions: [{ id: "2a", operator: "equals", values: ["y"] }] },
        { id: "3", key: "n", conditions: [], children: [] },
        { id: "4", key: "n", conditions: [], children: [] },
        { id: "5", key: "n", conditions: [{ id: "5a", operator: "equals", values: [1] }] },
      ],
    };
    const issues = formIssues(form, "MessageBody");
    expect(issues.map((issue) => issue.id)).toEqual(["2", "4", "5"]);
    expect(issues[0]?.message).toMatch(/OR, not AND/);
    expect(issues[1]?.message).toMatch(/merged/);
    expect(issues[2]?.message).toMatch(/only the first is kept/);
  });

  it("reports several $or groups at one level and groups with fewer than two branches", () => {
    const form: PolicyForm = {
      rows: [orOf("g1", [{ a: [1] }, { b: [2] }]), { id: "g2", kind: "or", branches: [formOf({ c: [3] })] }],
    };
    const issues = formIssues(form, "MessageAttributes");
    expect(issues.map((issue) => issue.id)).toEqual(["g2", "g2"]);
    expect(issues[0]?.message).toMatch(/inside each branch of the first/);
    expect(issues[1]?.message).toMatch(/at least two branches/);
  });

  it("reports nesting in MessageAttributes scope only", () => {
    const form = formOf({ customer: { tier: ["gold"] } }, "MessageBody");
    expect(formIssues(form, "MessageBody")).toEqual([]);
    expect(formIssues(form, "MessageAttributes")).toEqual([
      { id: "key:/customer", message: "MessageAttributes scope has no nested keys (AWS rejects them)." },
    ]);
  });

  it("reports a key with both nested keys and conditions, and a key named $or", () => {
    const form: PolicyForm = {
      rows: [
        { id: "k", key: "k", conditions: [{ id: "c", operator: "equals", values: [1] }], children: [] },
        { id: "o", key: "$or", conditions: [{ id: "o0", operator: "equals", values: [1] }] },
      ],
    };
    expect(formIssues(form, "MessageBody")).toEqual([
      { id: "k", message: "A key with nested keys keeps no conditions; they are dropped." },
      { id: "o", message: '"$or" is reserved for OR groups; rename the key.' },
    ]);
  });

  it("looks inside $or branches and nested objects", () => {
    const inner = emptyRow();
    const form: PolicyForm = {
      rows: [
        {
          id: "g",
          kind: "or",
          branches: [{ rows: [] }, { rows: [{ id: "n", key: "n", conditions: [], children: [inner] }] }],
        },
      ],
    };
    const ids = formIssues(form, "MessageBody").map((issue) => issue.id);
    expect(ids).toContain(inner.id);
    expect(ids).toContain(inner.conditions[0]?.id);
  });
});
