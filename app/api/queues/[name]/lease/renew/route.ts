import { withSession } from "@/lib/api/with-session";
import { renewLease } from "@/lib/operations/dead-letter-browse";
import { checkQueueName } from "@/lib/operations/redrive";

export const dynamic = "force-dynamic";

// POST /api/queues/{name}/lease/renew — keep this user's leased messages hidden for another lease period.
export const POST = withSession<{ name: string }>("POST /api/queues/[name]/lease/renew", ({ params, ctx }) =>
  renewLease(ctx, checkQueueName(params.name)),
);
