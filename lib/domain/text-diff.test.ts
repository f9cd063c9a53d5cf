import { describe, expect, it } from "vitest";
import { canonicalJson, lineDiff } from "./text-diff";

const marked = (a: string, b: string) => lineDiff(a, b).map((l) => `${l.op}${l.text}`);

describe("lineDiff", () => {
  it("keeps what both have and marks what changed, in order", () => {
    expect(marked("a\nb\nc", "a\nx\nc")).toEqual([" a", "-b", "+x", " c"]);
    expect(marked("a\nb", "a\nb\nc")).toEqual([" a", " b", "+c"]);
    expect(marked("a\nb\nc", "b")).toEqual(["-a", " b", "-c"]);
    expect(marked("same", "same")).toEqual([" same"]);
  });
});

describe("canonicalJson", () => {
  it("is the same text for equal values whatever their key order, and differs otherwise", () => {
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: "x" })).toBe(canonicalJson({ a: "x", b: [1, { c: 2, d: 1 }] }));
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  });
});
