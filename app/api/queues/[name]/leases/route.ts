import { onQueue } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { queueHolds } from "@/lib/operations/lease-holds";

export const dynamic = "force-dynamic";

// GET /api/queues/{name}/leases — who else holds the queue's letters in flight (views, redrive jobs), how many, until when.
export const GET = withSession("GET /api/queues/[name]/leases", ({ params, ctx }) => queueHolds(ctx, params.name), {
  ...onQueue,
});
