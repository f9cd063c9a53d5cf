import { describe, expect, it } from "vitest";
import { parseScopeKey, scopedApiPath, scopedPagePath, scopeOfParams, splitScopedPath } from "./scope";

const staging = { environment: "staging", region: "eu-west-1" };

describe("scoped paths", () => {
  it("split a scoped page or API path into its scope and the unscoped path", () => {
    expect(splitScopedPath("/e/staging/eu-west-1/topology?node=x")).toEqual({
      scope: staging,
      path: "/topology?node=x",
    });
    expect(splitScopedPath("/e/staging/eu-west-1")).toEqual({ scope: staging, path: "/" });
    expect(splitScopedPath("/e/staging/eu-west-1?x=1")).toEqual({ scope: staging, path: "/?x=1" });
    expect(splitScopedPath("/api/e/staging/eu-west-1/queues/a/messages")).toEqual({
      scope: staging,
      path: "/api/queues/a/messages",
    });
  });

  it("leave unscoped and malformed paths alone", () => {
    expect(splitScopedPath("/api/topology")).toEqual({ path: "/api/topology" });
    expect(splitScopedPath("/e/Staging!/eu-west-1/topology")).toEqual({ path: "/e/Staging!/eu-west-1/topology" });
    expect(splitScopedPath("/e/staging")).toEqual({ path: "/e/staging" });
    expect(splitScopedPath("/dead-letters/e")).toEqual({ path: "/dead-letters/e" });
  });

  it("build scoped paths that split back into the same scope and path", () => {
    for (const path of ["/topology", "/dead-letters/orders-dlq?message=1", "/"]) {
      const scoped = scopedPagePath(staging, path);
      expect(splitScopedPath(scoped)).toEqual({ scope: staging, path });
    }
    const api = scopedApiPath(staging, "/api/sla?window=1h");
    expect(api).toBe("/api/e/staging/eu-west-1/sla?window=1h");
    expect(splitScopedPath(api)).toEqual({ scope: staging, path: "/api/sla?window=1h" });
  });

  it("never scope sign-in, the API as a page, anchors or other sites", () => {
    for (const path of ["/login?callbackUrl=%2F", "/api/topology", "#main", "//evil.example/x", "https://x.example/"]) {
      expect(scopedPagePath(staging, path)).toBe(path);
    }
    expect(scopedPagePath(undefined, "/topology")).toBe("/topology");
    expect(scopedApiPath(undefined, "/api/topology")).toBe("/api/topology");
  });

  it("read a scope from a header value or a page's route parameters", () => {
    expect(parseScopeKey("staging/eu-west-1")).toEqual(staging);
    for (const bad of [null, "", "staging", "staging/eu-west-1/x", "../eu-west-1", "staging/EU"]) {
      expect(parseScopeKey(bad)).toBeUndefined();
    }
    expect(scopeOfParams({ env: "staging", region: "eu-west-1", name: "q" })).toEqual(staging);
    expect(scopeOfParams({ name: "q" })).toBeUndefined();
    expect(scopeOfParams(null)).toBeUndefined();
  });
});
