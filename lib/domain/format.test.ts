import { describe, expect, it } from "vitest";
import { percent, plural } from "./format";

describe("plural", () => {
  it("adds an s except for one", () => {
    expect(plural(1, "message")).toBe("1 message");
    expect(plural(0, "message")).toBe("0 messages");
    expect(plural(2, "batch item")).toBe("2 batch items");
  });

  it("takes an irregular plural", () => expect(plural(3, "key", "keys!")).toBe("3 keys!"));
});

describe("percent", () => {
  it("writes the decimals asked for", () => {
    expect(percent(0.9995, 3)).toBe("99.950 %");
    expect(percent(1, 1)).toBe("100.0 %");
  });

  it("shows a small rate with more decimals by default", () => {
    expect(percent(0.0012)).toBe("0.12 %");
    expect(percent(0.05)).toBe("5.0 %");
    expect(percent(0.5)).toBe("50 %");
    expect(percent(0)).toBe("0.0 %");
  });

  it("says no data for null", () => expect(percent(null, 3)).toBe("no data"));
});
