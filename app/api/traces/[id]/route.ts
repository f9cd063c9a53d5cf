import { withSession } from "@/lib/api/with-session";
import { decodeParam } from "@/lib/operations/filter-policy";
import { getTraceView } from "@/lib/operations/traces";

export const dynamic = "force-dynamic";

// GET /api/traces/{traceId} — one trace: its waterfall, its failures, and the traces it links to.
export const GET = withSession<{ id: string }>("GET /api/traces/[id]", async ({ params, ctx }) =>
  getTraceView(ctx, decodeParam(params.id)),
);
