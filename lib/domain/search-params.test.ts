import { describe, expect, it } from "vitest";
import { hrefWithParams } from "./search-params";

describe("hrefWithParams", () => {
  const current = new URLSearchParams("window=1h&view=map");

  it("sets, replaces and keeps parameters", () => {
    expect(hrefWithParams("/traces", current, { window: "6h", service: "a b" })).toBe(
      "/traces?window=6h&view=map&service=a+b",
    );
  });

  it("removes a parameter given no value or an empty one", () => {
    expect(hrefWithParams("/traces", current, { view: undefined, window: "" })).toBe("/traces");
    expect(hrefWithParams("/traces", current, { view: undefined })).toBe("/traces?window=1h");
  });

  it("leaves the parameters it was given unchanged", () => {
    hrefWithParams("/traces", current, { window: "6h" });
    expect(current.toString()).toBe("window=1h&view=map");
  });
});
