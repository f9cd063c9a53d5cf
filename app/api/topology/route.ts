import { z } from "zod";
import { withSession } from "@/lib/api/with-session";
import { getTopology } from "@/lib/operations/topology";

export const dynamic = "force-dynamic";

// GET /api/topology[?fresh=1] — the pipeline's graph: { nodes, edges, warnings, partial, collectedAt };
// collected at most every 14 s and shared by every caller.
const querySchema = z.object({ fresh: z.string().optional() });

export const GET = withSession(
  "GET /api/topology",
  async ({ query, ctx }) => getTopology(ctx, { fresh: query.fresh === "1" }),
  { query: querySchema },
);
