import { z } from "zod";
import { withSession } from "@/lib/api/with-session";
import { getVisibleTopology } from "@/lib/operations/topology";

export const dynamic = "force-dynamic";

// GET /api/topology[?fresh=1] — the pipeline's graph: { nodes, edges, warnings, partial, collectedAt }, and `hidden`
// (how many nodes are left out) for a caller whose bindings reach some resources only; collected at most every 14 s
// and shared by every caller (up to a minute old while a newer one is collected), then filtered by their bindings.
const querySchema = z.object({ fresh: z.string().optional() });

export const GET = withSession(
  "GET /api/topology",
  async ({ query, ctx }) => getVisibleTopology(ctx, { fresh: query.fresh === "1" }),
  { query: querySchema },
);
