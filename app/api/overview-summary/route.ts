import { withSession } from "@/lib/api/with-session";
import { getScopeOverview } from "@/lib/operations/overview";

export const dynamic = "force-dynamic";

// GET /api/overview-summary — one environment and region summed up, as a row of the overview (scoped: /api/e/{env}/{region}/overview-summary).
export const GET = withSession("GET /api/overview-summary", ({ ctx }) => getScopeOverview(ctx));
