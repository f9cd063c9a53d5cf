import { withSession } from "@/lib/api/with-session";
import { decodeParam } from "@/lib/operations/filter-policy";
import { getTopologyNode } from "@/lib/operations/topology";

export const dynamic = "force-dynamic";

// GET /api/topology/nodes/{id} — one node, its edges, its neighbours and the findings about it.
export const GET = withSession<{ id: string }>("GET /api/topology/nodes/[id]", async ({ params, ctx }) =>
  getTopologyNode(ctx, decodeParam(params.id)),
);
