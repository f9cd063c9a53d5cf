import { describe, expect, it } from "vitest";
import { jsonRequest } from "./fetch-json";

describe("jsonRequest", () => {
  it("sends the body as JSON with its content type", () => {
    expect(jsonRequest("PUT", { a: [1, "x"] })).toEqual({
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: '{"a":[1,"x"]}',
    });
  });

  it("has no body when none is given, but null is one", () => {
    expect(jsonRequest("POST")).not.toHaveProperty("body");
    expect(jsonRequest("POST", null).body).toBe("null");
  });
});
