import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, fetchJson, jsonRequest } from "./fetch-json";

const answer = (status: number, body: unknown) =>
  vi.stubGlobal("fetch", async () => new Response(JSON.stringify(body), { status }));

afterEach(() => vi.unstubAllGlobals());

describe("fetchJson", () => {
  it("turns a refused request into an ApiError with the code, message, status and field issues", async () => {
    answer(422, {
      error: {
        code: "validation",
        message: "Invalid input: status: Invalid option",
        issues: [{ path: "status", message: "Invalid option" }],
      },
    });
    const error = await fetchJson("/api/traces?status=broken").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: "validation",
      status: 422,
      message: "Invalid input: status: Invalid option",
      issues: [{ path: "status", message: "Invalid option" }],
    });
  });

  it("keeps only issues of the documented shape, and none when the body has none", async () => {
    answer(400, {
      error: { code: "bad_request", message: "no", issues: [{ path: 3 }, "x", { path: "", message: "m" }] },
    });
    expect(await fetchJson("/x").catch((e: ApiError) => e.issues)).toEqual([{ path: "", message: "m" }]);
    answer(404, { error: { code: "not_found", message: "gone" } });
    expect(await fetchJson("/x").catch((e: ApiError) => e.issues)).toEqual([]);
  });
});

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
