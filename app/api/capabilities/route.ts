import { withSession } from "@/lib/api/with-session";
import { endpointCapabilities } from "@/lib/operations/endpoint";

export const dynamic = "force-dynamic";

// GET /api/capabilities — which optional operations this AWS endpoint supports, probed once each.
export const GET = withSession("GET /api/capabilities", ({ ctx }) => endpointCapabilities(ctx));
