import { withSession } from "@/lib/api/with-session";
import { getTopology } from "@/lib/operations/topology";

export const dynamic = "force-dynamic";

// GET /api/topology[?fresh=1] — { nodes, edges, warnings, partial, collectedAt }; cached for 10 s and shared.
export const GET = withSession("GET /api/topology", async ({ req }) => getTopology({ fresh: new URL(req.url).searchParams.get("fresh") === "1" }));
