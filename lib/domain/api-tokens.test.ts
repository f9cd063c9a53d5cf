import { describe, expect, it } from "vitest";
import { bearerToken, formatToken, parseToken, tokenAccess, tokenGrantFor, tokenState } from "./api-tokens";
import { roleOnResource, shorthandBindings, type Binding } from "./bindings";

const SECRET = "A".repeat(42) + "_";
const ID = "abcdefgh12345678";

describe("API token text", () => {
  it("reads back what it formats, and nothing else", () => {
    expect(parseToken(formatToken(ID, SECRET))).toEqual({ id: ID, secret: SECRET });
    for (const bad of [
      "",
      `fanout_${ID}`,
      `fanout_${ID}-${SECRET}`,
      `fanout_${ID.toUpperCase()}_${SECRET}`,
      `fanout_${ID}_${SECRET}x`,
      `fanout_${ID}_${SECRET.slice(1)}`,
      `other_${ID}_${SECRET}`,
      `fanout_${ID}_${SECRET.slice(1)}=`,
    ])
      expect(parseToken(bad), bad).toBeUndefined();
  });

  it("takes a token from a Bearer header, in any case of the scheme, and calls anything else malformed", () => {
    const token = formatToken(ID, SECRET);
    expect(bearerToken(null)).toBeUndefined();
    expect(bearerToken(`Bearer ${token}`)).toEqual({ id: ID, secret: SECRET });
    expect(bearerToken(`bearer  ${token}`)).toEqual({ id: ID, secret: SECRET });
    expect(bearerToken(`Basic ${token}`)).toBe("malformed");
    expect(bearerToken("Bearer not-a-token")).toBe("malformed");
    expect(bearerToken(`Bearer ${token} extra`)).toBe("malformed");
  });
});

describe("a token's roles", () => {
  const ids = ["default", "production", "staging"];
  const creator = shorthandBindings({ role: "operator", roles: { production: "viewer", staging: "admin" } }, ids, "c");
  const queue = (name: string) => ({ arns: [`arn:aws:sqs:us-east-1:111111111111:${name}`] });
  const roleOf = (access: ReturnType<typeof tokenAccess>, environment: string, name = "orders") =>
    roleOnResource(access, environment, queue(name));

  it("are the creator's by default, and never above a requested cap anywhere", () => {
    const own = tokenAccess(tokenGrantFor(creator, {}), undefined);
    expect(ids.map((id) => roleOf(own, id))).toEqual(["operator", "viewer", "admin"]);
    const capped = tokenAccess(tokenGrantFor(creator, { cap: "viewer" }), undefined);
    expect(ids.map((id) => roleOf(capped, id))).toEqual(["viewer", "viewer", "viewer"]);
    // A cap above the creator's role grants nothing more.
    const above = tokenAccess(tokenGrantFor(creator, { cap: "admin" }), undefined);
    expect(ids.map((id) => roleOf(above, id))).toEqual(["operator", "viewer", "admin"]);
  });

  it("never exceed the creator's bindings, whatever bindings are asked for", () => {
    const asked: Binding[] = [
      { role: "admin", environments: ["*"], from: "asked" },
      { role: "operator", environments: ["staging"], resources: ["arn:aws:sqs:*:*:payments-*"], from: "asked" },
    ];
    const token = tokenAccess(tokenGrantFor(creator, { bindings: asked }), undefined);
    // Asked for admin everywhere: the creator's role in each environment is the most it gets.
    expect(ids.map((id) => roleOf(token, id))).toEqual(["operator", "viewer", "admin"]);
    const narrow = tokenAccess(tokenGrantFor(creator, { bindings: [asked[1]!] }), undefined);
    expect(roleOf(narrow, "staging", "payments-dlq")).toBe("operator");
    expect(roleOf(narrow, "staging", "orders")).toBeUndefined();
    expect(roleOf(narrow, "production", "payments-dlq")).toBeUndefined();
  });

  it("follow a personal token's owner down, never up", () => {
    const grant = tokenGrantFor(creator, {});
    const demoted = shorthandBindings({ role: "viewer", roles: { staging: "operator" } }, ids, "d");
    expect(ids.map((id) => roleOf(tokenAccess(grant, demoted), id))).toEqual(["viewer", "viewer", "operator"]);
    const promoted = shorthandBindings({ role: "admin" }, ids, "p");
    expect(ids.map((id) => roleOf(tokenAccess(grant, promoted), id))).toEqual(["operator", "viewer", "admin"]);
    // A service token has no owner: its own grant.
    expect(roleOf(tokenAccess(grant, undefined), "staging")).toBe("admin");
  });

  it("stop with expiry or revocation", () => {
    expect(tokenState({ expiresAt: 2_000, revokedAt: null }, 1_999)).toBe("active");
    expect(tokenState({ expiresAt: 2_000, revokedAt: null }, 2_000)).toBe("expired");
    expect(tokenState({ expiresAt: 2_000, revokedAt: 1_000 }, 1_500)).toBe("revoked");
  });
});
