import { describe, expect, it } from "vitest";
import { sharedConformanceCases } from "../test/conformance-cases";
import { naiveMatches } from "./naive-filter-policy";

/**
 * The filter-policy benchmark fails when the engine and this naive reference disagree, so the
 * reference must itself follow AWS: it answers every shared conformance case with a message as AWS does.
 */
const { present, cases } = sharedConformanceCases();
const withMessage = cases.flatMap((c) => (c.expect === "invalid" ? [] : [c]));

describe.skipIf(!present)("the benchmark's naive filter-policy reference", () => {
  it.each(withMessage.map((c) => [c.id, c] as const))("%s", (_id, c) => {
    expect(naiveMatches(c.policy, c.scope, c.message)).toBe(c.expect === "match");
  });
});

describe("the naive reference's exists rule", () => {
  // The guide: "The key must have a non-null and non-empty value"; the conformance cases do not reach it.
  it.each([
    ["an empty String", { Type: "String", Value: "" }, false],
    ["a String.Array of null", { Type: "String.Array", Value: "[null]" }, false],
    ["a String.Array of an empty string", { Type: "String.Array", Value: '[""]' }, false],
    ["a non-empty String", { Type: "String", Value: "x" }, true],
  ] as const)("%s", (_name, store, matches) => {
    const message = { attributes: { store, other: { Type: "String", Value: "y" } } } as const;
    expect(naiveMatches({ store: [{ exists: true }] }, "MessageAttributes", message)).toBe(matches);
  });
});
