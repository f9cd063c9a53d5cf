import "server-only";
import { randomBytes } from "node:crypto";
import { AppError } from "../domain/app-error";
import { formatToken, tokenGrantFor, tokenState, type TokenKind, type TokenState } from "../domain/api-tokens";
import { describeBinding, highestBoundRole, shorthandBindings, unknownEnvironments } from "../domain/bindings";
import type { Role } from "../domain/roles";
import { roleAtLeast } from "../domain/roles";
import type { CreateTokenRequest } from "../schemas/api-tokens";
import { secretDigest } from "../auth/tokens";
import type { SessionUser } from "../auth/sessions";
import { findApiToken, getStore, insertApiToken, listApiTokens, revokeApiToken, type ApiTokenRecord } from "../store";
import { recordAudit } from "./audited";
import type { OperationContext } from "./context";

/**
 * Managing API tokens (`/api/tokens`): anyone signed in makes personal tokens, no wider than
 * themselves; admins also make service tokens, for automation that is nobody's. Tokens are made
 * with a session only, so a leaked token cannot mint more. Each creation and revocation is audited.
 */

export interface TokenView {
  id: string;
  name: string;
  kind: TokenKind;
  owner: string;
  createdBy: string;
  /** The highest role the token's bindings give. */
  role: Role;
  /** The token's bindings as people read them (`operator in staging on arn:aws:sqs:*:*:payments-*`). */
  bindings: string[];
  createdAt: string;
  expiresAt: string;
  state: TokenState;
  revokedAt: string | null;
  revokedBy: string | null;
  lastUsedAt: string | null;
  lastUsedAddress: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function viewOf(t: ApiTokenRecord, now: number, environmentIds: readonly string[]): TokenView {
  return {
    id: t.id,
    name: t.name,
    kind: t.kind,
    owner: t.owner,
    createdBy: t.createdBy,
    role: t.role,
    bindings: (t.grant?.bindings ?? shorthandBindings(t, environmentIds, "token")).map(describeBinding),
    createdAt: iso(t.createdAt)!,
    expiresAt: iso(t.expiresAt)!,
    state: tokenState(t, now),
    revokedAt: iso(t.revokedAt),
    revokedBy: t.revokedBy,
    lastUsedAt: iso(t.lastUsedAt),
    lastUsedAddress: t.lastUsedAddress,
  };
}

const DAY_MS = 86_400_000;
const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** 16 characters of [a-z0-9]: the public half of a token, its row's key. */
const newTokenId = () => [...randomBytes(16)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join("");

const environmentIdsOf = (ctx: OperationContext) => ctx.settings.environments.map((environment) => environment.id);

const isAdmin = (ctx: OperationContext) => roleAtLeast(ctx.actor.role, "admin");

/** Makes a token; its secret is in the answer once and nowhere else. */
export async function createApiToken(
  ctx: OperationContext,
  user: SessionUser,
  request: CreateTokenRequest,
  now = Date.now(),
): Promise<TokenView & { token: string }> {
  if (user.tokenId)
    throw new AppError("forbidden", "API tokens are made by a signed-in person, not with another token.");
  if (request.service !== undefined && !isAdmin(ctx))
    throw new AppError(
      "forbidden",
      `service: service tokens are made by admins; you are signed in as ${ctx.actor.role}.`,
      {
        issues: [{ path: "service", message: "needs the admin role" }],
      },
    );
  const kind: TokenKind = request.service === undefined ? "personal" : "service";
  const environmentIds = environmentIdsOf(ctx);
  const requested = request.bindings?.map((binding, index) => ({ ...binding, from: `token bindings[${index}]` }));
  const unknown = unknownEnvironments(requested ?? [], environmentIds);
  if (unknown.length > 0)
    throw new AppError("validation", `bindings: ${unknown.join(", ")} is not a configured environment.`, {
      issues: [{ path: "bindings", message: `not a configured environment: ${unknown.join(", ")}` }],
    });
  const grant = tokenGrantFor(user.access.bindings, { bindings: requested, cap: request.role });
  const role = highestBoundRole(grant.bindings) ?? "viewer";
  const id = newTokenId();
  const secret = randomBytes(32).toString("base64url");
  const record: ApiTokenRecord = {
    id,
    name: request.name,
    kind,
    owner: kind === "service" ? `service:${request.service}` : user.name,
    createdBy: user.name,
    role,
    roles: {},
    grant,
    secretHash: secretDigest(secret),
    createdAt: now,
    expiresAt: now + request.expiresInDays * DAY_MS,
    revokedAt: null,
    revokedBy: null,
    lastUsedAt: null,
    lastUsedAddress: null,
  };
  await insertApiToken(await getStore(), record);
  const view = viewOf(record, now, environmentIds);
  await recordAudit(ctx, {
    action: "token.create",
    target: `token:${id}`,
    after: { id, name: view.name, kind, owner: view.owner, role, bindings: view.bindings, expiresAt: view.expiresAt },
  });
  return { ...view, token: formatToken(id, secret) };
}

/** The caller's own tokens; an admin sees every token. Secrets are never listed. */
export async function listTokens(ctx: OperationContext, user: SessionUser, now = Date.now()): Promise<TokenView[]> {
  const tokens = await listApiTokens(await getStore(), isAdmin(ctx) ? {} : { owner: user.name });
  return tokens.map((t) => viewOf(t, now, environmentIdsOf(ctx)));
}

/**
 * Revokes a token of the caller's (an admin: anyone's); it stops working at once on every replica.
 * A token the caller may not see is not found. Revoking twice changes nothing and is audited once.
 */
export async function revokeToken(
  ctx: OperationContext,
  user: SessionUser,
  id: string,
  now = Date.now(),
): Promise<TokenView> {
  const store = await getStore();
  const token = await findApiToken(store, id);
  if (!token || (token.owner !== user.name && !isAdmin(ctx)))
    throw new AppError("not_found", `id: no token ${id} of yours.`, {
      issues: [{ path: "id", message: "no such token" }],
    });
  if (await revokeApiToken(store, id, user.name, now))
    await recordAudit(ctx, {
      action: "token.revoke",
      target: `token:${id}`,
      before: { name: token.name, kind: token.kind, owner: token.owner },
      after: { revokedAt: iso(now) },
    });
  return viewOf((await findApiToken(store, id))!, now, environmentIdsOf(ctx));
}
