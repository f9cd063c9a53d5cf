import "server-only";
import { randomUUID } from "node:crypto";
import type { ZodType } from "zod";
import { AppError } from "../domain/app-error";
import { roleAtLeast } from "../domain/roles";
import { minimumRole, type ProtectedRoute } from "./access";
import { getSessionUser, type SessionUser } from "../auth/session";
import { resolveTokenUser } from "../auth/tokens";
import { bearerToken } from "../domain/api-tokens";
import { errorResponse, parseJsonBody } from "./respond";
import { queryOf } from "./params";
import { isSameOrigin } from "./same-origin";
import { getConfig } from "../env";
import { environmentInScope, roleInEnvironment, roleRefusal } from "../domain/environments";
import { requireRoleOn, type ResourceLookup } from "../operations/resource-access";
import { scopeOfParams, type Scope } from "../domain/scope";
import type { AuditContext, OperationContext } from "../operations/context";
import { actorIn, contextFromConfig } from "../request-context";
import { REFUSAL_WINDOW_MS, RefusalTally } from "../domain/refusal-tally";
import { processSingleton } from "../process-singleton";
import { recordAudit } from "../operations/audited";
import { forgetDeadLetterOverview } from "../operations/dead-letters";

export interface RouteContext<P, Q = Record<string, never>, B = undefined> {
  req: Request;
  /** The path parameters, as the route's `params` schema made them (decoded, checked). */
  params: P;
  /** The query string, as the route's `query` schema made it. */
  query: Q;
  /** The JSON body, as the route's `body` schema made it. */
  body: B;
  /**
   * What the operations act with: the signed-in user, the request id (ties the audit entries of a
   * change to the request; echoed as `x-request-id`), the AWS environment and the settings.
   */
  ctx: OperationContext;
  /** Who is signed in, with their roles (ctx.actor has their role in this request's environment). */
  user: SessionUser;
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/** next-auth's session cookie, by its name with or without the `__Secure-` prefix. */
const hasSessionCookie = (req: Request) =>
  /(?:^|;\s*)(?:__Secure-)?next-auth\.session-token(?:\.\d+)?=/.test(req.headers.get("cookie") ?? "");

/** A schema for the path parameters; one that checks them against the environment (an ARN's account) takes the context. */
type ParamsSchema<P> = ZodType<P> | ((ctx: OperationContext) => ZodType<P>);

export interface RouteOptions<P, Q, B> {
  /** A read with side effects (a lease receives messages) gets the same origin check as a change. */
  sideEffects?: boolean;
  params?: ParamsSchema<P>;
  query?: ZodType<Q>;
  /** The JSON body's schema (read through parseJsonBody: 413 past the cap, 400 if not JSON, 422 naming a field). */
  body?: ZodType<B>;
  /**
   * For a route about one stored resource found in any environment (a redrive job): where that
   * resource acts, from the raw path parameters. The request then acts there, with the caller's role
   * there, whichever scope its path names; undefined (no such resource) leaves the path's scope.
   */
  resourceScope?: (params: Record<string, string | string[]>) => Promise<Scope | undefined>;
  /** The body's cap in bytes when not MAX_JSON_BODY_BYTES. */
  maxBodyBytes?: number;
  /**
   * The resource the route acts on, from its checked parameters: the caller needs the route's least
   * role on it too (their bindings may reach some resources only). Routes on lists filter instead.
   */
  resource?: (params: P, ctx: OperationContext) => ResourceLookup;
}

/**
 * What a handler made by withSession carries besides being one: its entry in the access table and
 * its schemas, so that the API's description (lib/api/openapi.ts) is built from what the route
 * enforces rather than from a copy.
 */
export interface DescribedRoute {
  route: ProtectedRoute;
  /** The route checks its least role on the resource its path names too (RouteOptions.resource). */
  onResource: boolean;
  schemas: {
    params?: ParamsSchema<unknown>;
    query?: ZodType;
    body?: ZodType;
  };
}

type Refusal = "cross-origin" | "unauthenticated" | "role" | "token";

/** Refused requests, audited once per caller, route, reason and environment every 15 minutes, with a count (RefusalTally). */
const refusedRequests = processSingleton("refusedRequests", () => new RefusalTally(REFUSAL_WINDOW_MS));

/** The caller's role where a refused request would have acted, for its audit entry. */
function roleIn(user: SessionUser, where: Pick<AuditContext, "environment">): string | undefined {
  const environment = getConfig().environments.find((e) => e.id === where.environment?.id);
  return environment ? roleInEnvironment(user.access, environment) : undefined;
}

/** Where a refused request would have acted, for its audit entry: none when its scope names nothing configured. */
function refusedIn(scope: Scope | undefined): Pick<AuditContext, "environment" | "aws"> {
  try {
    const { environment, region } = environmentInScope(getConfig().environments, scope);
    return { environment: { id: environment.id, region, accountId: environment.accountId } };
  } catch {
    return {};
  }
}

async function auditRefusal(
  req: Request,
  route: ProtectedRoute,
  reason: Refusal,
  user: SessionUser | undefined,
  requestId: string,
  message: string,
  where: Pick<AuditContext, "environment" | "aws">,
): Promise<void> {
  // Per environment too: a refusal in staging says nothing of one in production.
  const place = where.environment ? `${where.environment.id}/${where.environment.region}` : "";
  const due = refusedRequests.note(`${user?.name ?? ""}|${route}|${reason}|${place}`, Date.now());
  if (!due) return;
  try {
    const actor = { name: user?.name ?? "(anonymous)", role: (user && roleIn(user, where)) ?? "none" };
    await recordAudit(
      { actor, requestId, environment: where.environment, aws: where.aws },
      {
        action: "request.refused",
        target: route,
        after: { method: req.method, reason, refused: due.refused, refusedSince: new Date(due.since).toISOString() },
        outcome: "failure",
        detail: `${message} Further refusals of this caller, route and reason in the next 15 min are counted in the next such entry.`,
      },
    );
  } catch (err) {
    // The refusal stands whether or not it could be written down.
    console.error("could not audit a refused request:", err);
  }
}

/**
 * Wraps a route handler: same-origin check for mutations, session (401) and the role the route's
 * entry in the access table asks for (403), the request context, the path parameters, query
 * string and JSON body through the route's schemas (422 naming the field), then the handler's result as JSON,
 * and any failure as the standard error body. Refusals are audited (`request.refused`), once per caller, route,
 * reason and environment in a window, so that nobody can flood the append-only trail.
 */
export function withSession<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  route: ProtectedRoute,
  handler: (request: RouteContext<P, Q, B>) => Promise<unknown>,
  options: RouteOptions<P, Q, B> = {},
) {
  const minRole = minimumRole(route);
  const described: DescribedRoute = {
    route,
    onResource: options.resource !== undefined,
    schemas: { params: options.params, query: options.query, body: options.body },
  };
  return Object.assign(
    async (req: Request, routeContext?: { params?: Promise<Record<string, string | string[]>> }): Promise<Response> => {
      const requestId = randomUUID();
      const response = await handle(req, routeContext, requestId);
      response.headers.set("x-request-id", requestId);
      return response;
    },
    described,
  );

  async function handle(
    req: Request,
    routeContext: { params?: Promise<Record<string, string | string[]>> } | undefined,
    requestId: string,
  ): Promise<Response> {
    let requestScope: Scope | undefined;
    const refuse = async (
      reason: Refusal,
      user: SessionUser | undefined,
      error: AppError,
      where: Pick<AuditContext, "environment" | "aws"> = refusedIn(requestScope),
    ) => {
      await auditRefusal(req, route, reason, user, requestId, error.message, where);
      return errorResponse(error);
    };
    try {
      const rawParams = (await routeContext?.params) ?? {};
      // /api/e/{env}/{region}/… (the scoped twin of a route) acts there; an unscoped path in the default environment.
      requestScope = scopeOfParams(rawParams);
      const bearer = bearerToken(req.headers.get("authorization"));
      let user: SessionUser | undefined;
      if (bearer !== undefined) {
        // A token is the whole credential: a cookie beside it would leave unclear who acts.
        if (hasSessionCookie(req))
          return refuse(
            "token",
            undefined,
            new AppError(
              "unauthenticated",
              "A request carries a session cookie or an API token, never both: send the token without cookies.",
            ),
          );
        user = bearer === "malformed" ? undefined : await resolveTokenUser(bearer, req.headers);
        if (!user)
          return refuse(
            "token",
            undefined,
            new AppError("unauthenticated", "The API token is malformed, unknown, expired or revoked."),
          );
      } else {
        // Cookies ride along on cross-site requests; tokens do not. A read with side effects (a lease
        // receives messages) gets the same check as a change.
        if ((options.sideEffects || !safeMethods.has(req.method)) && !isSameOrigin(req, getConfig().authUrl)) {
          return refuse(
            "cross-origin",
            await getSessionUser().catch(() => undefined),
            new AppError("forbidden", "Cross-origin request refused."),
          );
        }
        user = await getSessionUser();
        if (!user) return refuse("unauthenticated", undefined, new AppError("unauthenticated", "Sign in to continue."));
      }
      const config = getConfig();
      const scope = (await options.resourceScope?.(rawParams)) ?? requestScope;
      const { environment } = environmentInScope(config.environments, scope);
      const actor = actorIn(user, environment);
      if (!actor || !roleAtLeast(actor.role, minRole)) {
        const refusal = new AppError("forbidden", roleRefusal(minRole, actor?.role, environment));
        return refuse("role", user, refusal, refusedIn(scope));
      }
      const ctx = contextFromConfig(config, actor, requestId, scope);
      const paramsSchema = typeof options.params === "function" ? options.params(ctx) : options.params;
      const params = (paramsSchema ? await paramsSchema.parseAsync(rawParams) : rawParams) as P;
      const query = (options.query ? options.query.parse(queryOf(req.url)) : {}) as Q;
      const body = (options.body ? await parseJsonBody(req, options.body, options.maxBodyBytes) : undefined) as B;
      // The route's least role on the resource itself, where the caller's bindings name resources
      // (after the input is checked: bad input reaches no AWS API, not even this lookup).
      if (options.resource) {
        try {
          await requireRoleOn(ctx, options.resource(params, ctx), minRole);
        } catch (err) {
          if (err instanceof AppError && err.code === "forbidden") return refuse("role", user, err, ctx);
          throw err;
        }
      }
      let result;
      try {
        result = await handler({ req, params, query, body, ctx, user });
      } finally {
        // What a change did shows at once to whoever made it, not after the shared reads' age.
        if (options.sideEffects || !safeMethods.has(req.method)) forgetDeadLetterOverview(ctx);
      }
      return result instanceof Response ? result : Response.json(result);
    } catch (err) {
      return errorResponse(err);
    }
  }
}
