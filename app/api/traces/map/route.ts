import { withSession } from "@/lib/api/with-session";
import { getServiceMap } from "@/lib/operations/traces";
import { traceWindowQuerySchema } from "@/lib/schemas/traces";

export const dynamic = "force-dynamic";

// GET /api/traces/map?window=…&end=ISO — the service map: the endpoint's, or derived from the window's traces.
export const GET = withSession(
  "GET /api/traces/map",
  async ({ query: { window, end }, ctx }) => getServiceMap(ctx, { window, ...(end === undefined ? {} : { end }) }),
  { query: traceWindowQuerySchema },
);
