import { describe, expect, it } from "vitest";
import { isRole, roleAtLeast, roles } from "./roles";

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
