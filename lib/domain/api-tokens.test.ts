import { describe, expect, it } from "vitest";
import {
  bearerToken,
  effectiveTokenRoles,
  formatToken,
  parseToken,
  tokenRoleIn,
  tokenRolesFor,
  tokenState,
} from "./api-tokens";

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
  const creator = { role: "operator" as const, roles: { production: "viewer" as const, staging: "admin" as const } };

  it("are the creator's by default, and never above a requested cap anywhere", () => {
    expect(tokenRolesFor(creator)).toEqual(creator);
    expect(tokenRolesFor(creator, "viewer")).toEqual({
      role: "viewer",
      roles: { production: "viewer", staging: "viewer" },
    });
    // A cap above the creator's role grants nothing more.
    expect(tokenRolesFor(creator, "admin")).toEqual(creator);
  });

  it("follow a personal token's owner down, never up", () => {
    const token = tokenRolesFor(creator);
    const demoted = { role: "viewer" as const, roles: { staging: "operator" as const } };
    expect(tokenRoleIn(token, demoted, "staging")).toBe("operator");
    expect(tokenRoleIn(token, demoted, "default")).toBe("viewer");
    const promoted = { role: "admin" as const, roles: {} };
    expect(tokenRoleIn(token, promoted, "default")).toBe("operator");
    expect(tokenRoleIn(token, promoted, "production")).toBe("viewer");
    // A service token has no owner: its own roles.
    expect(tokenRoleIn(token, undefined, "staging")).toBe("admin");
    expect(effectiveTokenRoles(token, demoted)).toEqual({
      role: "viewer",
      roles: { production: "viewer", staging: "operator" },
    });
  });

  it("stop with expiry or revocation", () => {
    expect(tokenState({ expiresAt: 2_000, revokedAt: null }, 1_999)).toBe("active");
    expect(tokenState({ expiresAt: 2_000, revokedAt: null }, 2_000)).toBe("expired");
    expect(tokenState({ expiresAt: 2_000, revokedAt: 1_000 }, 1_500)).toBe("revoked");
  });
});
