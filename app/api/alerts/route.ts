import { z } from "zod";
import { withSession } from "@/lib/api/with-session";
import { alertsView, firingAlertCount } from "@/lib/operations/alerts";

export const dynamic = "force-dynamic";

// GET /api/alerts — the alerts firing, those resolved within a day and the silences that hold, within the caller's
// bindings; each alert with its link, the silence holding it and any notification failing to arrive.
// GET /api/alerts?count=firing — only how many fire, within the caller's bindings: { firing: N } (the header's figure).
const querySchema = z.object({ count: z.literal("firing").optional() });

export const GET = withSession(
  "GET /api/alerts",
  async ({ query, ctx }) => (query.count ? { firing: await firingAlertCount(ctx) } : alertsView(ctx)),
  { query: querySchema },
);
