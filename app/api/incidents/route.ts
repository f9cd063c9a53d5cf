import { withSession } from "@/lib/api/with-session";
import { getIncidents } from "@/lib/operations/incidents";

export const dynamic = "force-dynamic";

// GET /api/incidents — what is broken now, most severe first, each with the page that explains it, and the sources that could not be read.
export const GET = withSession("GET /api/incidents", ({ ctx }) => getIncidents(ctx));
