import { z } from "zod";
import { pathParam } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { getTopologyNode } from "@/lib/operations/topology";

export const dynamic = "force-dynamic";

// GET /api/topology/nodes/{id} — one node, its edges, its neighbours and the findings about it.
export const GET = withSession(
  "GET /api/topology/nodes/[id]",
  async ({ params, ctx }) => getTopologyNode(ctx, params.id),
  {
    params: z.object({ id: pathParam }),
  },
);
