import "server-only";
import { randomUUID } from "node:crypto";
import { AppError } from "../domain/app-error";
import { roleAtLeast } from "../domain/roles";
import { minimumRole, type ProtectedRoute } from "./access";
import { getSessionUser, type SessionUser } from "../auth/session";
import { errorResponse } from "./respond";
import { isSameOrigin } from "./same-origin";
import { getConfig } from "../env";

export interface RouteContext<P> {
  req: Request;
  user: SessionUser;
  params: P;
  /** Ties the audit entry of a change to the request that made it; echoed as `x-request-id`. */
  requestId: string;
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);


/**
 * Wraps a route handler: same-origin check for mutations, session (401) and the role the route's
 * entry in the access table asks for (403), then the handler's result as JSON, and any failure
 * as the standard error body.
 */
export function withSession<P = Record<string, never>>(route: ProtectedRoute, handler: (ctx: RouteContext<P>) => Promise<unknown>, options: { sideEffects?: boolean } = {}) {
  const minRole = minimumRole(route);
  return async (req: Request, routeContext?: { params?: Promise<P> }): Promise<Response> => {
    const requestId = randomUUID();
    const response = await handle(req, routeContext, requestId);
    response.headers.set("x-request-id", requestId);
    return response;
  };

  async function handle(req: Request, routeContext: { params?: Promise<P> } | undefined, requestId: string): Promise<Response> {
    try {
      // A read with side effects (a lease receives messages) gets the same check as a change.
      if ((options.sideEffects || !safeMethods.has(req.method)) && !isSameOrigin(req, getConfig().authUrl)) {
        throw new AppError("forbidden", "Cross-origin request refused.");
      }
      const user = await getSessionUser();
      if (!user) throw new AppError("unauthenticated", "Sign in to continue.");
      if (!roleAtLeast(user.role, minRole)) {
        throw new AppError("forbidden", `This needs the ${minRole} role; you are signed in as ${user.role}.`);
      }
      const params = ((await routeContext?.params) ?? {}) as P;
      const result = await handler({ req, user, params, requestId });
      return result instanceof Response ? result : Response.json(result);
    } catch (err) {
      return errorResponse(err);
    }
  }
}
