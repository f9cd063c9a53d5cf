import { withSession } from "@/lib/api/with-session";
import { listTraces } from "@/lib/operations/traces";
import { traceListQuerySchema } from "@/lib/schemas/traces";

export const dynamic = "force-dynamic";

// GET /api/traces?window=5m|15m|1h|6h&end=ISO&service=&status=ok|error|throttle|fault|failed&minDurationMs=&annotation=key=value —
//   the window's traces that meet the criteria, newest first, from the endpoint or read and filtered by the console.
export const GET = withSession(
  "GET /api/traces",
  async ({ query: { window, end, ...criteria }, ctx }) =>
    listTraces(ctx, { window, ...(end === undefined ? {} : { end }), criteria }),
  { query: traceListQuerySchema },
);
