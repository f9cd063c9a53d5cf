import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { signInWithPassword } from "../auth/sign-in";
import { loadConfig } from "../env";
import { HIDDEN_SIGN_IN_NAME, readAuditTrail } from "./audit-trail";

/** A failed sign-in's actor is what was typed as a user name, at times a password: admins only. */
describe("readAuditTrail", () => {
  it("shows a failed sign-in's typed name to admins only, and lets no one else find it by name", async () => {
    const config = loadConfig({
      ...process.env,
      FANOUT_USERS: JSON.stringify([
        { username: "ana", passwordHash: bcrypt.hashSync("correct horse", 4), role: "admin" },
      ]),
    });
    const typed = "Tr0ub4dor.and.3";
    expect(await signInWithPassword(typed, "whatever", undefined, config)).toBeUndefined();
    expect(await signInWithPassword("ana", "correct horse", undefined, config)).toBeDefined();

    const admin = await readAuditTrail({ actor: { name: "ada", role: "admin" } }, { action: "auth.sign-in" });
    expect(admin.find((e) => e.outcome === "failure")).toMatchObject({ actor: typed });
    expect(await readAuditTrail({ actor: { name: "ada", role: "admin" } }, { actor: typed })).toHaveLength(1);
    // The actor filter matches by part: a guessed fragment finds the row for an admin only.
    const fragment = typed.slice(2, 8).toUpperCase();
    expect(await readAuditTrail({ actor: { name: "ada", role: "admin" } }, { actor: fragment })).toMatchObject([
      { actor: typed },
    ]);

    for (const role of ["viewer", "operator"] as const) {
      const seen = await readAuditTrail({ actor: { name: role, role } }, { action: "auth.sign-in" });
      expect(seen.find((e) => e.outcome === "failure")).toMatchObject({
        actor: HIDDEN_SIGN_IN_NAME,
        detail: "wrong username or password",
      });
      // Successful sign-ins name a real user and stay visible.
      expect(seen.find((e) => e.outcome === "success")).toMatchObject({ actor: "ana" });
      expect(JSON.stringify(seen)).not.toContain(typed);
      expect(await readAuditTrail({ actor: { name: role, role } }, { actor: typed })).toEqual([]);
      expect(await readAuditTrail({ actor: { name: role, role } }, { actor: fragment })).toEqual([]);
    }
  });
});
