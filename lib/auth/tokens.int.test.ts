import { describe, expect, it } from "vitest";
import { contextAs, rolesIn } from "../../test/context";
import { userBindings } from "../domain/bindings";
import { formatToken, parseToken } from "../domain/api-tokens";
import { loadConfig } from "../env";
import { createApiToken, listTokens, revokeToken } from "../operations/api-tokens";
import { getStore, listAudit } from "../store";
import type { SessionUser } from "./sessions";
import type { Role } from "../domain/roles";
import { resolveTokenUser } from "./tokens";

/** API tokens from creation to revocation, with the clock passed in. */

const t0 = Date.parse("2026-12-02T09:00:00Z");
const DAY = 86_400_000;
const withUsers = (...users: Array<{ username: string; role: string; roles?: Record<string, string> }>) =>
  loadConfig({
    ...process.env,
    FANOUT_USERS: JSON.stringify(users.map((u) => ({ ...u, password: `${u.username}-password` }))),
  });
const person = (name: string, role: Role, roles: Record<string, Role> = {}): SessionUser => ({
  name,
  access: { bindings: userBindings({ username: name, role, roles }, ["default"]) },
  provider: "credentials",
});
/** Who a token acts as now, and the highest role it has in the default environment. */
const actingAs = async (...args: Parameters<typeof resolveTokenUser>) => {
  const user = await resolveTokenUser(...args);
  return user && { name: user.name, tokenId: user.tokenId, roles: rolesIn(user.access) };
};
const noHeaders = new Headers();
const credential = (token: string) => parseToken(token)!;

describe("API tokens", () => {
  it("act as their owner until they expire or are revoked, and every step is audited", async () => {
    const config = withUsers({ username: "tok-ada", role: "operator" });
    const ada = person("tok-ada", "operator");
    const ctx = contextAs("tok-ada", "operator");
    const made = await createApiToken(ctx, ada, { name: "ci job", expiresInDays: 7 }, t0);
    expect(made).toMatchObject({ kind: "personal", owner: "tok-ada", role: "operator", state: "active" });
    expect(made.token).toMatch(/^fanout_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/);

    expect(await actingAs(credential(made.token), noHeaders, t0 + 1, config)).toEqual({
      name: "tok-ada",
      roles: { default: "operator" },
      tokenId: made.id,
    });
    // A wrong secret for the right id, and a token past its expiry, act for nobody.
    const wrong = formatToken(made.id, "B".repeat(43));
    expect(await resolveTokenUser(credential(wrong), noHeaders, t0 + 1, config)).toBeUndefined();
    expect(await resolveTokenUser(credential(made.token), noHeaders, t0 + 7 * DAY, config)).toBeUndefined();

    // Listed without its secret, with its last use.
    const [listed] = await listTokens(ctx, ada, t0 + 2);
    expect(listed).toMatchObject({ id: made.id, lastUsedAt: new Date(t0 + 1).toISOString() });
    expect(JSON.stringify(listed)).not.toContain(made.token.slice(-43));

    expect((await revokeToken(ctx, ada, made.id, t0 + 3)).state).toBe("revoked");
    expect(await resolveTokenUser(credential(made.token), noHeaders, t0 + 4, config)).toBeUndefined();
    // Revoking again changes nothing and writes nothing.
    await revokeToken(ctx, ada, made.id, t0 + 5);
    const audited = await listAudit(await getStore(), { actor: "tok-ada", action: ["token.create", "token.revoke"] });
    expect(audited.map((e) => e.action)).toEqual(["token.revoke", "token.create"]);
    expect(JSON.stringify(audited)).not.toContain(made.token.slice(-43));
  });

  it("are never wider than their creator, and follow a personal token's owner down or out", async () => {
    const ctx = contextAs("tok-ben", "operator");
    const ben = person("tok-ben", "operator");
    const narrow = await createApiToken(ctx, ben, { name: "read only", expiresInDays: 1, role: "viewer" }, t0);
    expect(narrow).toMatchObject({ role: "viewer", bindings: ["viewer in default"] });
    // Asked for more than he has: made, but it never acts above him.
    const asked = [{ role: "admin" as const, environments: ["*"] }];
    const wide = await createApiToken(ctx, ben, { name: "wide", expiresInDays: 1, bindings: asked }, t0);
    const benNow = withUsers({ username: "tok-ben", role: "operator" });
    expect((await actingAs(credential(wide.token), noHeaders, t0 + 1, benNow))?.roles).toEqual({ default: "operator" });
    const full = await createApiToken(ctx, ben, { name: "full", expiresInDays: 1 }, t0);
    const asNow = async (config: ReturnType<typeof withUsers>) =>
      (await actingAs(credential(full.token), noHeaders, t0 + 1, config))?.roles;
    expect(await asNow(benNow)).toEqual({ default: "operator" });
    // Demoted: the token is demoted with him; promoted: the token stays as made.
    expect(await asNow(withUsers({ username: "tok-ben", role: "viewer" }))).toEqual({ default: "viewer" });
    expect(await asNow(withUsers({ username: "tok-ben", role: "admin" }))).toEqual({ default: "operator" });
    // Removed: his tokens act for nobody.
    expect(await asNow(withUsers({ username: "someone-else", role: "admin" }))).toBeUndefined();
  });

  it("refuse bindings in an environment the console does not have, naming the field", async () => {
    const ctx = contextAs("tok-eli", "operator");
    const bindings = [{ role: "viewer" as const, environments: ["prodution"] }];
    await expect(
      createApiToken(ctx, person("tok-eli", "operator"), { name: "typo", expiresInDays: 1, bindings }, t0),
    ).rejects.toMatchObject({ status: 422, issues: [{ path: "bindings" }] });
  });

  it("are made with a session only; service tokens by admins; other people's are not found", async () => {
    const cy = person("tok-cy", "operator");
    const ctx = contextAs("tok-cy", "operator");
    await expect(
      createApiToken(ctx, { ...cy, tokenId: "aaaaaaaaaaaaaaaa" }, { name: "minted", expiresInDays: 1 }, t0),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      createApiToken(ctx, cy, { name: "robot", expiresInDays: 1, service: "nightly" }, t0),
    ).rejects.toMatchObject({ status: 403, issues: [{ path: "service" }] });

    const admin = person("tok-dora", "admin");
    const adminCtx = contextAs("tok-dora", "admin");
    const service = await createApiToken(adminCtx, admin, { name: "robot", expiresInDays: 30, service: "nightly" }, t0);
    expect(service).toMatchObject({ kind: "service", owner: "service:nightly", createdBy: "tok-dora", role: "admin" });
    // A service token has no owner to follow: it acts as made, whatever the users file says.
    expect(
      await resolveTokenUser(
        credential(service.token),
        noHeaders,
        t0 + 1,
        withUsers({ username: "x", role: "viewer" }),
      ),
    ).toMatchObject({ name: "service:nightly" });
    const acting = await actingAs(
      credential(service.token),
      noHeaders,
      t0 + 1,
      withUsers({ username: "x", role: "viewer" }),
    );
    expect(acting?.roles).toEqual({ default: "admin" });
    await expect(revokeToken(ctx, cy, service.id, t0 + 2)).rejects.toMatchObject({ status: 404 });
    expect((await listTokens(ctx, cy, t0)).map((t) => t.id)).not.toContain(service.id);
    expect((await listTokens(adminCtx, admin, t0)).map((t) => t.id)).toContain(service.id);
  });
});
