import { describe, expect, it } from "vitest";
import { safeCallbackPath, START_PAGE } from "./callback-url";

const origin = "https://fanout.example.com";

describe("safeCallbackPath", () => {
  it("keeps a path of the console, with its query", () => {
    expect(safeCallbackPath("/dead-letters?queue=orders-dlq#x", origin)).toBe("/dead-letters?queue=orders-dlq#x");
    expect(safeCallbackPath("/topology", origin)).toBe("/topology");
  });

  it("sends anything that could leave the origin to the start page", () => {
    for (const value of [
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "/\tevil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r\n/evil.example",
      // The login page receives the query value decoded: %09 and %0A arrive as tab and newline.
      decodeURIComponent("/%09/evil.example"),
      decodeURIComponent("/%0A/evil.example"),
      decodeURIComponent("/%5Cevil.example"),
      "javascript:alert(1)",
      "evil.example",
      " /topology",
      "",
      undefined,
    ]) {
      expect(safeCallbackPath(value, origin), JSON.stringify(value)).toBe(START_PAGE);
    }
  });

  it("leaves percent-encoded characters encoded, on the same origin", () => {
    expect(safeCallbackPath("/%09/evil.example", origin)).toBe("/%09/evil.example");
  });
});
