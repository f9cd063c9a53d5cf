import { describe, expect, it } from "vitest";
import { groupsInClaim, rolesFromGroups } from "./group-roles";

const environments = [
  { id: "production", groups: { "prod-readers": "viewer", "prod-ops": "operator", "platform-admins": "admin" } },
  { id: "staging", groups: { "prod-ops": "operator", contractors: "operator", "platform-admins": "admin" } },
  { id: "development" },
] as const;

describe("groupsInClaim", () => {
  it.each([
    [
      ["a", "b"],
      ["a", "b"],
    ],
    ["a", ["a"]],
    [["a", 3, null, { name: "b" }], ["a"]],
    [undefined, []],
    [{ a: true }, []],
    [7, []],
  ])("reads %j as %j", (claim, groups) => {
    expect(groupsInClaim(claim)).toEqual(groups);
  });
});

describe("rolesFromGroups", () => {
  it("gives each environment the highest role any of the user's groups maps to there", () => {
    expect(rolesFromGroups(["prod-readers", "prod-ops"], environments)).toEqual({
      production: "operator",
      staging: "operator",
    });
    expect(rolesFromGroups(["platform-admins", "prod-readers"], environments)).toEqual({
      production: "admin",
      staging: "admin",
    });
  });

  it("leaves out environments where no group of the user's is mapped, so their default role applies", () => {
    expect(rolesFromGroups(["contractors"], environments)).toEqual({ staging: "operator" });
    expect(rolesFromGroups(["unmapped"], environments)).toEqual({});
    expect(rolesFromGroups([], environments)).toEqual({});
  });

  it("matches group names exactly and never through the mapping's prototype", () => {
    expect(rolesFromGroups(["Prod-Ops", "prod-ops ", "constructor", "__proto__", "toString"], environments)).toEqual(
      {},
    );
  });
});
