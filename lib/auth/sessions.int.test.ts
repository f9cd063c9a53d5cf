import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { environmentsValue } from "../../test/environment-fixtures";
import { getConfig, loadConfig } from "../env";
import { START_PAGE } from "../domain/callback-url";
import { OIDC_SESSION_MS, PASSWORD_SESSION_MS } from "../domain/session-lifetime";
import { getAuthOptions } from "./options";
import { endSession, resolveSessionUser, startSession, type SessionUser } from "./sessions";
import { rolesIn } from "../../test/context";

const rolesOf = (user: SessionUser | undefined, ids?: string[]) => rolesIn(user?.access, ids);

/** Server-side sessions, with the clock passed in. */

const t0 = Date.parse("2026-12-02T09:00:00Z");
const withUsers = (...users: Array<{ username: string; role: string }>) =>
  loadConfig({
    ...process.env,
    FANOUT_USERS: JSON.stringify(users.map((u) => ({ ...u, password: `${u.username}-password` }))),
  });

describe("server-side sessions", () => {
  it("last a fixed time from sign-in, however often they are used", async () => {
    const config = withUsers({ username: "ada", role: "operator" });
    const sid = await startSession({ name: "ada", role: "operator", provider: "credentials" }, t0);
    const claims = { sid, name: "ada", provider: "credentials" as const };
    for (let t = t0; t < t0 + PASSWORD_SESSION_MS; t += 30 * 60_000) {
      const user = await resolveSessionUser(claims, t, config);
      expect(user).toMatchObject({ name: "ada", provider: "credentials" });
      expect(rolesOf(user)).toEqual({ default: "operator" });
    }
    expect(await resolveSessionUser(claims, t0 + PASSWORD_SESSION_MS - 1, config)).toBeDefined();
    expect(await resolveSessionUser(claims, t0 + PASSWORD_SESSION_MS, config)).toBeUndefined();
  });

  it("stop working once ended (signed out), for any copy of the cookie", async () => {
    const config = withUsers({ username: "ben", role: "viewer" });
    const sid = await startSession({ name: "ben", role: "viewer", provider: "credentials" }, t0);
    expect(await resolveSessionUser({ sid, name: "ben" }, t0 + 1, config)).toBeDefined();
    await endSession(sid, "signed out", t0 + 2);
    expect(await resolveSessionUser({ sid, name: "ben" }, t0 + 3, config)).toBeUndefined();
  });

  it("refuse a cookie without a session id, with an unknown one, or naming someone else", async () => {
    const config = withUsers({ username: "cy", role: "admin" }, { username: "di", role: "viewer" });
    const sid = await startSession({ name: "di", role: "viewer", provider: "credentials" }, t0);
    expect(await resolveSessionUser({ name: "cy" }, t0, config)).toBeUndefined();
    expect(await resolveSessionUser({ sid: "not-a-session", name: "cy" }, t0, config)).toBeUndefined();
    expect(await resolveSessionUser({ sid, name: "cy" }, t0, config)).toBeUndefined();
    expect(await resolveSessionUser({ sid, name: "di", provider: "oidc" }, t0, config)).toBeUndefined();
  });

  it("end when the password user is removed, and stay ended if the name is added again", async () => {
    const sid = await startSession({ name: "eve", role: "operator", provider: "credentials" }, t0);
    expect(
      rolesOf(await resolveSessionUser({ sid, name: "eve" }, t0 + 1, withUsers({ username: "eve", role: "admin" }))),
    ).toEqual({ default: "admin" });
    expect(
      await resolveSessionUser({ sid, name: "eve" }, t0 + 2, withUsers({ username: "other", role: "viewer" })),
    ).toBeUndefined();
    expect(
      await resolveSessionUser({ sid, name: "eve" }, t0 + 3, withUsers({ username: "eve", role: "admin" })),
    ).toBeUndefined();
  });

  it("last an hour for identity-provider users, who keep the role asserted at sign-in", async () => {
    const config = withUsers({ username: "fay", role: "viewer" });
    const sid = await startSession({ name: "oidc:fay", role: "operator", groups: [], provider: "oidc" }, t0);
    const claims = { sid, name: "oidc:fay", provider: "oidc" as const };
    const user = await resolveSessionUser(claims, t0 + OIDC_SESSION_MS - 1, config);
    expect(user).toMatchObject({ name: "oidc:fay", provider: "oidc" });
    expect(rolesOf(user)).toEqual({ default: "operator" });
    expect(await resolveSessionUser(claims, t0 + OIDC_SESSION_MS, config)).toBeUndefined();
  });
});

describe("roles per environment in a session", () => {
  const ids = ["production", "staging"];
  const configWith = (roles: Record<string, string>, groups?: Record<string, unknown>) =>
    loadConfig({
      ...process.env,
      FANOUT_ENVIRONMENTS: environmentsValue("production", "staging"),
      FANOUT_USERS: JSON.stringify([{ username: "hal", password: "hal-password", role: "viewer", roles }]),
      ...(groups
        ? {
            FANOUT_ENVIRONMENTS: JSON.stringify(
              JSON.parse(environmentsValue("production", "staging")).map((e: { id: string }) =>
                e.id === "staging" ? { ...e, groups } : e,
              ),
            ),
            FANOUT_OIDC_ISSUER: "http://127.0.0.1:9/issuer",
            FANOUT_OIDC_CLIENT_ID: "fanout",
            FANOUT_OIDC_CLIENT_SECRET: "secret",
            FANOUT_OIDC_GROUPS_CLAIM: "groups",
          }
        : {}),
    });

  it("are a password user's current roles, read from the users entry on every request", async () => {
    const sid = await startSession({ name: "hal", role: "viewer", provider: "credentials" }, t0);
    const claims = { sid, name: "hal" };
    const at = async (t: number, roles: Record<string, string>) =>
      rolesOf(await resolveSessionUser(claims, t, configWith(roles)), ids);
    expect(await at(t0 + 1, { staging: "operator" })).toEqual({ production: "viewer", staging: "operator" });
    expect(await at(t0 + 2, { production: "admin" })).toEqual({ production: "admin", staging: "viewer" });
    expect(await at(t0 + 3, {})).toEqual({ production: "viewer", staging: "viewer" });
  });

  it("are an identity-provider user's groups from sign-in, mapped with the configuration of each request", async () => {
    const sid = await startSession({ name: "oidc:ivy", role: "viewer", groups: ["contractors"], provider: "oidc" }, t0);
    const claims = { sid, name: "oidc:ivy", provider: "oidc" as const };
    const mapped = await resolveSessionUser(claims, t0 + 1, configWith({}, { contractors: "operator" }));
    expect(rolesOf(mapped, ids)).toEqual({ production: "viewer", staging: "operator" });
    // The mapping changed: the next request has the new one, without signing in again.
    const remapped = await resolveSessionUser(claims, t0 + 2, configWith({}, { contractors: "admin" }));
    expect(rolesOf(remapped, ids)).toEqual({ production: "viewer", staging: "admin" });
  });

  it("start with the sign-in's groups through next-auth's callback", async () => {
    const token = await getAuthOptions().callbacks!.jwt!({
      token: { name: "oidc:jo" },
      user: { id: "oidc:1", name: "oidc:jo", groups: ["contractors"] },
      account: { provider: "oidc", type: "oauth", providerAccountId: "1" },
    } as never);
    const user = await resolveSessionUser(
      { sid: token.sid, name: "oidc:jo", provider: "oidc" },
      Date.now(),
      configWith({}, { contractors: "admin" }),
    );
    // No role claim: the groups alone, where they are mapped.
    expect(rolesOf(user, ids)).toEqual({ staging: "admin" });
  });
});

describe("next-auth's callbacks", () => {
  it("start a session at sign-in and end it at sign-out", async () => {
    writeFileSync(
      path.join(getConfig().dataDir, "users.json"),
      JSON.stringify([{ username: "gus", password: "gus-password", role: "operator" }]),
    );
    const options = getAuthOptions();
    const token = await options.callbacks!.jwt!({
      token: { name: "gus" },
      user: { id: "gus", name: "gus", role: "operator" },
      account: { provider: "credentials", type: "credentials", providerAccountId: "gus" },
    } as never);
    expect(token.sid).toEqual(expect.any(String));
    const claims = { sid: token.sid, name: "gus", provider: token.provider };
    const user = await resolveSessionUser(claims);
    expect(user).toMatchObject({ name: "gus", provider: "credentials" });
    expect(rolesOf(user)).toEqual({ default: "operator" });
    // A refresh (no user) keeps the same session.
    expect((await options.callbacks!.jwt!({ token } as never)).sid).toBe(token.sid);
    await options.events!.signOut!({ token } as never);
    expect(await resolveSessionUser(claims)).toBeUndefined();
  });

  it("redirect only to pages of the console", async () => {
    const redirect = getAuthOptions().callbacks!.redirect!;
    const baseUrl = "http://127.0.0.1:3000";
    expect(await redirect({ url: "/dead-letters", baseUrl })).toBe(`${baseUrl}/dead-letters`);
    expect(await redirect({ url: `${baseUrl}/traces?x=1`, baseUrl })).toBe(`${baseUrl}/traces?x=1`);
    for (const url of ["https://evil.example/", "/\\evil.example", "/\t/evil.example", "//evil.example"])
      expect(await redirect({ url, baseUrl })).toBe(`${baseUrl}${START_PAGE}`);
  });
});
