import { z } from "zod";
import { pathParam } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { getTraceView } from "@/lib/operations/traces";

export const dynamic = "force-dynamic";

// GET /api/traces/{traceId} — one trace: its waterfall, its failures, and the traces it links to.
export const GET = withSession("GET /api/traces/[id]", async ({ params, ctx }) => getTraceView(ctx, params.id), {
  params: z.object({ id: pathParam }),
});
