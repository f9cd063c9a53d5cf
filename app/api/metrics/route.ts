import { z } from "zod";
import { withSession } from "@/lib/api/with-session";
import { resourceMetrics } from "@/lib/operations/resource-metrics";
import { checkWindow } from "@/lib/operations/sla";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  kind: z.enum(["topic", "queue", "function"]),
  name: z.string().min(1).max(256),
  window: z.string().max(8).optional(),
});

// GET /api/metrics?kind=topic|queue|function&name=…&window=1h…30d — the series behind a resource's charts; 403 for a resource
// outside the caller's bindings.
export const GET = withSession(
  "GET /api/metrics",
  async ({ query, ctx }) => resourceMetrics(ctx, query.kind, query.name, checkWindow(query.window ?? null)),
  { query: querySchema },
);
