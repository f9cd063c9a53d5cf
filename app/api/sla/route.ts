import { withSession } from "@/lib/api/with-session";
import { checkWindow, getSla } from "@/lib/operations/sla";

export const dynamic = "force-dynamic";

// GET /api/sla?window=<whole hours or days, 1h to 30d> — SLI per topic, queue, function and path, and end to end, with budgets and burn rates.
export const GET = withSession("GET /api/sla", async ({ req, ctx }) =>
  getSla(ctx, checkWindow(new URL(req.url).searchParams.get("window"))),
);
