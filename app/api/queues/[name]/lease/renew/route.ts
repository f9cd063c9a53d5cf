import { onQueue } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { renewLease } from "@/lib/operations/dead-letter-browse";

export const dynamic = "force-dynamic";

// POST /api/queues/{name}/lease/renew — keep this user's leased messages hidden for another lease period.
export const POST = withSession(
  "POST /api/queues/[name]/lease/renew",
  ({ params, ctx }) => renewLease(ctx, params.name),
  { ...onQueue },
);
