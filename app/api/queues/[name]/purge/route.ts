import { onQueue } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { purgeDeadLetters } from "@/lib/operations/dead-letter-browse";
import { purgeSchema } from "@/lib/schemas/dead-letters";

export const dynamic = "force-dynamic";

// POST /api/queues/{name}/purge { confirmName } — delete every message in the queue (admin, audited).
export const POST = withSession(
  "POST /api/queues/[name]/purge",
  async ({ params, body, ctx }) => purgeDeadLetters(ctx, params.name, body.confirmName),
  { ...onQueue, body: purgeSchema },
);
