import { describe, expect, it } from "vitest";
import { environmentRolesOf, highestRole, isRole, roleAtLeast, roles } from "./roles";

describe("roles", () => {
  it.each([
    ["viewer", "viewer", true],
    ["viewer", "operator", false],
    ["viewer", "admin", false],
    ["operator", "viewer", true],
    ["operator", "operator", true],
    ["operator", "admin", false],
    ["admin", "viewer", true],
    ["admin", "admin", true],
  ] as const)("%s at least %s: %s", (role, minimum, expected) => {
    expect(roleAtLeast(role, minimum)).toBe(expected);
  });

  it("recognises exactly the three roles", () => {
    expect(roles.every(isRole)).toBe(true);
    expect(["root", "Admin", "", undefined, 1].some(isRole)).toBe(false);
  });
});

describe("highestRole", () => {
  it.each([
    [[], undefined],
    [["viewer"], "viewer"],
    [["operator", "viewer"], "operator"],
    [["viewer", "admin", "operator"], "admin"],
  ] as const)("of %j is %s", (list, expected) => {
    expect(highestRole(list)).toBe(expected);
  });
});

describe("environmentRolesOf", () => {
  it("keeps the entries that name a role and drops the rest", () => {
    expect(environmentRolesOf({ staging: "operator", production: "root", dev: 3 })).toEqual({ staging: "operator" });
    for (const value of [null, undefined, "operator", ["operator"]]) expect(environmentRolesOf(value)).toEqual({});
  });
});
