import { describe, expect, it } from "vitest";
import { usernamePattern } from "../env";
import { oidcIdentity } from "./identity";

describe("oidcIdentity", () => {
  it("namespaces identity-provider users so they never share a password user's name", () => {
    const identity = oidcIdentity({ sub: "123", preferred_username: "ana", fanout_role: "operator" }, "fanout_role");
    expect(identity).toEqual({ id: "oidc:123", name: "oidc:ana", role: "operator", groups: [] });
    // No password user can be called that: the user-name rule has no colon.
    expect(usernamePattern.test(identity.name)).toBe(false);
    expect(usernamePattern.test("ana")).toBe(true);
  });

  it("falls back to the e-mail, then the subject, and gives no role for an unknown claim", () => {
    expect(oidcIdentity({ sub: "1", email: "bo@example.com", fanout_role: "root" }, "fanout_role")).toEqual({
      id: "oidc:1",
      name: "oidc:bo@example.com",
      role: undefined,
      groups: [],
    });
    expect(oidcIdentity({ sub: "1" }, "fanout_role").name).toBe("oidc:1");
  });

  it("reads the user's groups from the groups claim, when one is configured", () => {
    const profile = { sub: "7", preferred_username: "cy", fanout_role: "viewer", groups: ["contractors", "everyone"] };
    expect(oidcIdentity(profile, "fanout_role", "groups")).toMatchObject({
      role: "viewer",
      groups: ["contractors", "everyone"],
    });
    // Without the groups claim configured, groups in the token change nothing.
    expect(oidcIdentity(profile, "fanout_role").groups).toEqual([]);
    expect(oidcIdentity({ ...profile, fanout_role: undefined }, "fanout_role", "groups").role).toBeUndefined();
  });
});
