import { withSession } from "@/lib/api/with-session";
import { getTopology } from "@/lib/operations/topology";

export const dynamic = "force-dynamic";

// GET /api/topology[?fresh=1] — { nodes, edges, warnings, partial, collectedAt }; collected at most every 14 s and shared by every caller.
export const GET = withSession("GET /api/topology", async ({ req, ctx }) =>
  getTopology(ctx, { fresh: new URL(req.url).searchParams.get("fresh") === "1" }),
);
