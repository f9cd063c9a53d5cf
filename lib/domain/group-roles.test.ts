import { describe, expect, it } from "vitest";
import { bindingsFromGroups, groupsInClaim, singleSignOnBindings, type GroupEnvironments } from "./group-roles";
import { highestRoleInEnvironment, roleOnResource, type Binding } from "./bindings";
import type { Role } from "./roles";

const grant = (role: Role) => [{ role }];
const environments: GroupEnvironments = [
  {
    id: "production",
    groups: {
      "prod-readers": grant("viewer"),
      "prod-ops": grant("operator"),
      "platform-admins": grant("admin"),
      payments: [{ role: "operator" as const, resources: ["arn:aws:sqs:*:*:payments-*"] }],
    },
  },
  {
    id: "staging",
    groups: { "prod-ops": grant("operator"), contractors: grant("operator"), "platform-admins": grant("admin") },
  },
  { id: "development" },
];

/** The highest role the bindings give in each environment, where they give one. */
const rolesOf = (bindings: Binding[]) =>
  Object.fromEntries(
    ["production", "staging", "development"].flatMap((id) => {
      const role = highestRoleInEnvironment({ bindings }, id);
      return role ? [[id, role]] : [];
    }),
  );

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

describe("bindingsFromGroups", () => {
  it("gives each environment the bindings the user's groups map to there, the highest role counting", () => {
    expect(rolesOf(bindingsFromGroups(["prod-readers", "prod-ops"], environments))).toEqual({
      production: "operator",
      staging: "operator",
    });
    expect(rolesOf(bindingsFromGroups(["platform-admins", "prod-readers"], environments))).toEqual({
      production: "admin",
      staging: "admin",
    });
  });

  it("binds a group's resources in its environment only, and says which group each binding came from", () => {
    const bindings = bindingsFromGroups(["payments", "prod-readers"], environments);
    const queue = (name: string) => ({ arns: [`arn:aws:sqs:us-east-1:111111111111:${name}`] });
    expect(roleOnResource({ bindings }, "production", queue("payments-dlq"))).toBe("operator");
    expect(roleOnResource({ bindings }, "production", queue("orders-dlq"))).toBe("viewer");
    expect(roleOnResource({ bindings }, "staging", queue("payments-dlq"))).toBeUndefined();
    expect(bindings.map((b) => b.from)).toEqual(["group payments in production", "group prod-readers in production"]);
  });

  it("maps nothing for groups no environment names", () => {
    expect(rolesOf(bindingsFromGroups(["contractors"], environments))).toEqual({ staging: "operator" });
    expect(bindingsFromGroups(["unmapped"], environments)).toEqual([]);
    expect(bindingsFromGroups([], environments)).toEqual([]);
  });

  it("matches group names exactly and never through the mapping's prototype", () => {
    expect(bindingsFromGroups(["Prod-Ops", "prod-ops ", "constructor", "__proto__", "toString"], environments)).toEqual(
      [],
    );
  });
});

describe("singleSignOnBindings", () => {
  it("gives the role claim's role where no group of the user's is mapped, and the groups' elsewhere", () => {
    expect(rolesOf(singleSignOnBindings("viewer", ["contractors"], environments))).toEqual({
      production: "viewer",
      staging: "operator",
      development: "viewer",
    });
    // A group can lower the claim's role in its environment, as `roles` does beside `role`.
    expect(rolesOf(singleSignOnBindings("admin", ["contractors"], environments))).toMatchObject({
      staging: "operator",
      production: "admin",
    });
  });

  it("gives groups alone their environments, and nothing without groups or a claim", () => {
    expect(rolesOf(singleSignOnBindings(undefined, ["contractors"], environments))).toEqual({ staging: "operator" });
    expect(singleSignOnBindings(undefined, ["unmapped"], environments)).toEqual([]);
  });
});
