import { withSession } from "@/lib/api/with-session";
import { probeAllCapabilities } from "@/lib/aws/capabilities";

export const dynamic = "force-dynamic";

// GET /api/capabilities — which optional operations this AWS endpoint supports, probed once each.
export const GET = withSession("GET /api/capabilities", async () => ({ capabilities: await probeAllCapabilities() }));
