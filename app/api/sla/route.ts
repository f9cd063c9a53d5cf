import { z } from "zod";
import { withSession } from "@/lib/api/with-session";
import { checkWindow, getVisibleSla } from "@/lib/operations/sla";

export const dynamic = "force-dynamic";

// GET /api/sla?window=<whole hours or days, 1h to 30d> — SLI per topic, queue, function and path, and end to end, with budgets and burn rates;
// for a caller whose bindings reach some resources only, their rows, with `hidden` and `withheld` (the figures across resources left out).
const querySchema = z.object({ window: z.string().max(8).optional() });

export const GET = withSession(
  "GET /api/sla",
  async ({ query, ctx }) => getVisibleSla(ctx, checkWindow(query.window ?? null)),
  { query: querySchema },
);
