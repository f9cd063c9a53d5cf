import { getSessionUser } from "@/lib/auth/session";
import { endpointHealth } from "@/lib/operations/endpoint";
import { errorResponse } from "@/lib/api/respond";
import { getConfig } from "@/lib/env";
import { contextFromConfig } from "@/lib/request-context";

export const dynamic = "force-dynamic";

// GET /api/health — liveness for anyone; with a session, the endpoint and each service's status.
export async function GET() {
  try {
    const user = await getSessionUser();
    if (!user) return Response.json({ ok: true });
    const health = await endpointHealth(contextFromConfig(getConfig(), { name: user.name, role: user.role }));
    return Response.json({ ok: true, ...health });
  } catch (err) {
    return errorResponse(err);
  }
}
