import { describe, expect, it } from "vitest";
import { noConsoleRoleMessage } from "./sign-in-refusal";

describe("noConsoleRoleMessage", () => {
  it("names the user's groups and the missing role claim when no group is mapped", () => {
    expect(noConsoleRoleMessage({ groups: ["everyone", "finance"], roleClaim: "fanout_role" })).toBe(
      "Your identity provider account has no Fanout role: none of your groups (everyone, finance) is mapped to a role or binding " +
        "in any environment, and no fanout_role claim was sent. Ask an admin to map one of your groups.",
    );
  });

  it("says 'no groups' when the token lists none, and names the configured claim", () => {
    const message = noConsoleRoleMessage({ groups: [], roleClaim: "console_role" });
    expect(message).toContain("none of your groups (no groups) is mapped");
    expect(message).toContain("no console_role claim was sent");
  });

  it("names at most 20 groups, each cut at 100 characters, and counts the rest", () => {
    const groups = [`g-${"x".repeat(200)}`, ...Array.from({ length: 24 }, (_, i) => `team-${i}`)];
    const message = noConsoleRoleMessage({ groups, roleClaim: "fanout_role" });
    expect(message).toContain(`g-${"x".repeat(98)}…, team-0,`);
    expect(message).toContain("team-18 and 5 more)");
    expect(message).not.toContain("team-19");
  });
});
