import { getSessionUser } from "@/lib/auth/session";
import { endpointHealth } from "@/lib/operations/endpoint";
import { errorResponse } from "@/lib/api/respond";
import { scopeOfParams } from "@/lib/domain/scope";
import { getConfig } from "@/lib/env";
import { contextFromConfig } from "@/lib/request-context";

export const dynamic = "force-dynamic";

// GET /api/health — liveness for anyone; with a session, the endpoint and each service's status in the request's environment.
export async function GET(_req: Request, route?: { params?: Promise<Record<string, string>> }) {
  try {
    const user = await getSessionUser();
    if (!user) return Response.json({ ok: true });
    const scope = scopeOfParams(await route?.params);
    const health = await endpointHealth(
      contextFromConfig(getConfig(), { name: user.name, role: user.role }, undefined, scope),
    );
    return Response.json({ ok: true, ...health });
  } catch (err) {
    return errorResponse(err);
  }
}
