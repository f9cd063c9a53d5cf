import { getSessionUser } from "@/lib/auth/session";
import { endpointHealth } from "@/lib/operations/endpoint";
import { errorResponse } from "@/lib/api/respond";
import { scopeOfParams } from "@/lib/domain/scope";
import { getConfig } from "@/lib/env";
import { actorIn, contextFromConfig } from "@/lib/request-context";
import { environmentInScope } from "@/lib/domain/environments";
import { readiness } from "@/lib/readiness";

export const dynamic = "force-dynamic";

// GET /api/health — liveness for anyone; with a session, the endpoint and each service's status in the request's environment.
// GET /api/health?ready=1 — readiness for a load balancer, without sign-in: 200, or 503 naming the check that failed.
export async function GET(req: Request, route?: { params?: Promise<Record<string, string>> }) {
  if (new URL(req.url).searchParams.get("ready") === "1") {
    const verdict = await readiness();
    return Response.json(verdict, { status: verdict.ready ? 200 : 503, headers: { "cache-control": "no-store" } });
  }
  try {
    const user = await getSessionUser();
    if (!user) return Response.json({ ok: true });
    const scope = scopeOfParams(await route?.params);
    const config = getConfig();
    const actor = actorIn(user, environmentInScope(config.environments, scope).environment);
    if (!actor) return Response.json({ ok: true });
    const health = await endpointHealth(contextFromConfig(config, actor, undefined, scope));
    return Response.json({ ok: true, ...health });
  } catch (err) {
    return errorResponse(err);
  }
}
