import { z } from "zod";
import { pathParam } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { getTopologyNode } from "@/lib/operations/topology";

export const dynamic = "force-dynamic";

// GET /api/topology/nodes/{id} — one node, its edges, its neighbours and the findings about it, as the caller may view
// them: a node outside their bindings is a 404, as one that does not exist.
export const GET = withSession(
  "GET /api/topology/nodes/[id]",
  async ({ params, ctx }) => getTopologyNode(ctx, params.id),
  {
    params: z.object({ id: pathParam }),
  },
);
