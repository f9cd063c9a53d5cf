import { describe, expect, it } from "vitest";
import {
  arnMatches,
  bindingSchema,
  describeBinding,
  explainAccess,
  highestRoleInEnvironment,
  needsTags,
  roleOnEveryResource,
  roleOnResource,
  shorthandBindings,
  unknownEnvironments,
  userBindings,
  type Binding,
} from "./bindings";

const queue = (name: string, tags?: Record<string, string>) => ({
  arns: [`arn:aws:sqs:eu-west-1:111111111111:${name}`],
  ...(tags ? { tags } : {}),
});
const bind = (b: Omit<Binding, "from">, from = "test"): Binding => ({ ...b, from });

describe("ARN patterns", () => {
  it.each([
    ["arn:aws:sqs:*:*:payments-*", "arn:aws:sqs:eu-west-1:111111111111:payments-dlq", true],
    ["arn:aws:sqs:*:*:payments-*", "arn:aws:sqs:eu-west-1:111111111111:orders-dlq", false],
    ["arn:aws:sqs:*:*:payments-*", "arn:aws:sns:eu-west-1:111111111111:payments-events", false],
    ["*", "arn:aws:lambda:eu-west-1:111111111111:function:x", true],
    ["arn:aws:sqs:eu-west-1:111111111111:orders", "arn:aws:sqs:eu-west-1:111111111111:orders", true],
    // Anchored: a pattern is the whole ARN, not a part of it.
    ["arn:aws:sqs:eu-west-1:111111111111:orders", "arn:aws:sqs:eu-west-1:111111111111:orders-dlq", false],
    // Every other character is literal, the dot of a FIFO queue's name included.
    ["arn:aws:sqs:*:*:a.fifo", "arn:aws:sqs:r:1:aXfifo", false],
    ["arn:aws:sqs:*:*:(a|b)", "arn:aws:sqs:r:1:a", false],
  ])("%s against %s: %s", (pattern, arn, expected) => {
    expect(arnMatches(pattern, arn)).toBe(expected);
  });
});

describe("a caller's role on a resource", () => {
  it("is the highest role among the bindings that match THAT resource", () => {
    const access = {
      bindings: [
        bind({ role: "viewer", environments: ["production"] }),
        bind({ role: "operator", environments: ["production"], resources: ["arn:aws:sqs:*:*:payments-*"] }),
      ],
    };
    expect(roleOnResource(access, "production", queue("payments-dlq"))).toBe("operator");
    expect(roleOnResource(access, "production", queue("orders-dlq"))).toBe("viewer");
    expect(roleOnResource(access, "staging", queue("payments-dlq"))).toBeUndefined();
  });

  it("never combines two groups into a role on a scope neither grants (the two-group case)", () => {
    // Group A: operator in staging, viewer of production's orders queues. Group B: viewer of all of production.
    // The union of roles (operator) applied to the union of scopes would make an operator of production's orders queues.
    const access = {
      bindings: [
        bind({ role: "operator", environments: ["staging"] }, "group a"),
        bind({ role: "viewer", environments: ["production"], resources: ["arn:aws:sqs:*:*:orders-*"] }, "group a"),
        bind({ role: "viewer", environments: ["production"] }, "group b"),
      ],
    };
    expect(roleOnResource(access, "production", queue("orders-dlq"))).toBe("viewer");
    expect(roleOnResource(access, "production", queue("payments-dlq"))).toBe("viewer");
    expect(roleOnResource(access, "staging", queue("orders-dlq"))).toBe("operator");
    expect(highestRoleInEnvironment(access, "production")).toBe("viewer");
  });

  it("needs every tag a binding names, with its value", () => {
    const access = {
      bindings: [bind({ role: "operator", environments: ["*"], tags: { team: "payments", tier: "1" } })],
    };
    expect(roleOnResource(access, "production", queue("q", { team: "payments", tier: "1", x: "y" }))).toBe("operator");
    expect(roleOnResource(access, "production", queue("q", { team: "payments" }))).toBeUndefined();
    expect(roleOnResource(access, "production", queue("q", { team: "orders", tier: "1" }))).toBeUndefined();
    // Tags not looked up are no match: the caller must fetch them when needsTags says so.
    expect(roleOnResource(access, "production", queue("q"))).toBeUndefined();
    expect(needsTags(access, "production")).toBe(true);
    expect(needsTags({ bindings: [bind({ role: "viewer", environments: ["*"] })] }, "production")).toBe(false);
  });

  it("needs both the ARN and the tags when a binding names both", () => {
    const access = {
      bindings: [
        bind({
          role: "operator",
          environments: ["*"],
          resources: ["arn:aws:sqs:*:*:pay*"],
          tags: { team: "payments" },
        }),
      ],
    };
    expect(roleOnResource(access, "p", queue("payments", { team: "payments" }))).toBe("operator");
    expect(roleOnResource(access, "p", queue("payments", { team: "orders" }))).toBeUndefined();
    expect(roleOnResource(access, "p", queue("orders", { team: "payments" }))).toBeUndefined();
  });

  it("matches a resource by any of its ARNs (a subscription and the queue it feeds)", () => {
    const access = {
      bindings: [bind({ role: "operator", environments: ["*"], resources: ["arn:aws:sqs:*:*:payments"] })],
    };
    const subscription = {
      arns: ["arn:aws:sns:eu-west-1:111111111111:events:6f1c", "arn:aws:sqs:eu-west-1:111111111111:payments"],
    };
    expect(roleOnResource(access, "p", subscription)).toBe("operator");
  });

  it("is the lower of the caller's and each cap's (a token within its creator's bindings)", () => {
    const access = {
      bindings: [bind({ role: "admin", environments: ["*"] })],
      caps: [[bind({ role: "operator", environments: ["production"], resources: ["arn:aws:sqs:*:*:payments-*"] })]],
    };
    expect(roleOnResource(access, "production", queue("payments-dlq"))).toBe("operator");
    expect(roleOnResource(access, "production", queue("orders-dlq"))).toBeUndefined();
    expect(roleOnResource(access, "staging", queue("payments-dlq"))).toBeUndefined();
    expect(highestRoleInEnvironment(access, "production")).toBe("operator");
    expect(roleOnEveryResource(access, "production")).toBeUndefined();
  });

  it("bounds every resource's role by the environment's highest, so the route's check before lookups is final", () => {
    const bindings = [
      bind({ role: "viewer", environments: ["production"] }),
      bind({ role: "admin", environments: ["production"], resources: ["arn:aws:sqs:*:*:a*"] }),
      bind({ role: "operator", environments: ["staging"], tags: { team: "a" } }),
    ];
    for (const caps of [undefined, [[bind({ role: "operator", environments: ["*"] })]]]) {
      const access = { bindings, ...(caps ? { caps } : {}) };
      for (const environment of ["production", "staging", "dev"])
        for (const resource of [queue("a1", { team: "a" }), queue("b1"), queue("a2")]) {
          const role = roleOnResource(access, environment, resource);
          const bound = highestRoleInEnvironment(access, environment);
          if (role)
            expect(["viewer", "operator", "admin"].indexOf(role)).toBeLessThanOrEqual(
              ["viewer", "operator", "admin"].indexOf(bound!),
            );
        }
    }
  });
});

describe("shorthand", () => {
  it("binds `roles` in their environments and `role` in every other one, so `roles` can lower a role", () => {
    const bindings = shorthandBindings(
      { role: "admin", roles: { production: "viewer" } },
      ["production", "staging"],
      "u",
    );
    const access = { bindings };
    expect(roleOnResource(access, "production", queue("q"))).toBe("viewer");
    expect(roleOnResource(access, "staging", queue("q"))).toBe("admin");
    expect(bindings.map((b) => b.from)).toEqual(["u.roles.production", "u.role"]);
  });

  it("reads only the roles map's own entries, whatever the environment is called", () => {
    const ids = ["constructor", "toString", "__proto__", "hasOwnProperty"];
    const access = { bindings: shorthandBindings({ role: "viewer", roles: { staging: "operator" } }, ids, "u") };
    for (const id of ids) expect(roleOnResource(access, id, queue("q"))).toBe("viewer");
  });

  it("adds a users entry's own bindings after its shorthand, each saying where it came from", () => {
    const bindings = userBindings(
      { username: "ana", role: "viewer", bindings: [{ role: "operator", environments: ["*"], resources: ["*"] }] },
      ["production"],
    );
    expect(bindings.map((b) => b.from)).toEqual(["users[ana].role", "users[ana].bindings[0]"]);
  });
});

describe("explainAccess", () => {
  it("says which bindings match and why each other one does not", () => {
    const access = {
      bindings: [
        bind({ role: "viewer", environments: ["staging"] }, "users[ana].roles.staging"),
        bind(
          { role: "operator", environments: ["*"], resources: ["arn:aws:sqs:*:*:payments-*"] },
          "users[ana].bindings[0]",
        ),
        bind({ role: "admin", environments: ["*"], tags: { team: "core" } }, "users[ana].bindings[1]"),
      ],
    };
    const explained = explainAccess(access, "production", queue("payments-dlq", { team: "payments" }));
    expect(explained.role).toBe("operator");
    expect(explained.verdicts.map((v) => [v.binding.from, v.mismatch])).toEqual([
      ["users[ana].roles.staging", "not bound in production (staging)"],
      ["users[ana].bindings[0]", undefined],
      ["users[ana].bindings[1]", "the resource is not tagged team=core"],
    ]);
  });
});

describe("the binding schema", () => {
  it("defaults to every environment and names the bad field", () => {
    expect(bindingSchema.parse({ role: "viewer" })).toEqual({ role: "viewer", environments: ["*"] });
    const bad = bindingSchema.safeParse({ role: "root", resources: ["payments-*"], extra: 1 });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((issue) => issue.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["role", "resources.0", ""]));
  });

  it("finds environment ids nothing configures", () => {
    const bindings = [bind({ role: "viewer", environments: ["*", "prodution"] }, "users[ana].bindings[0]")];
    expect(unknownEnvironments(bindings, ["production"])).toEqual(["users[ana].bindings[0]: prodution"]);
  });

  it("reads as a sentence", () => {
    expect(
      describeBinding(
        bind({
          role: "operator",
          environments: ["production"],
          resources: ["arn:aws:sqs:*:*:p-*"],
          tags: { team: "p" },
        }),
      ),
    ).toBe("operator in production on arn:aws:sqs:*:*:p-* tagged team=p");
    expect(describeBinding(bind({ role: "viewer", environments: ["*"] }))).toBe("viewer in every environment");
  });
});
