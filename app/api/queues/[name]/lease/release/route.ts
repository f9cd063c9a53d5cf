import { onQueue } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { releaseLease } from "@/lib/operations/dead-letter-browse";

export const dynamic = "force-dynamic";

// POST /api/queues/{name}/lease/release — make this user's leased messages visible again (also sent as a beacon on leaving).
export const POST = withSession(
  "POST /api/queues/[name]/lease/release",
  ({ params, ctx }) => releaseLease(ctx, params.name),
  { ...onQueue },
);
