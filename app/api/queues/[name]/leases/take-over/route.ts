import { onQueue } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { takeOverLeases } from "@/lib/operations/dead-letter-browse";
import { takeOverSchema } from "@/lib/schemas/dead-letters";

export const dynamic = "force-dynamic";

// POST /api/queues/{name}/leases/take-over { holder? } — end other people's leases on the queue and show their letters again (operator, audited).
export const POST = withSession(
  "POST /api/queues/[name]/leases/take-over",
  ({ params, body, ctx }) => takeOverLeases(ctx, params.name, body),
  { ...onQueue, body: takeOverSchema },
);
