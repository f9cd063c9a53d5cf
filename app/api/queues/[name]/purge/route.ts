import { parseJsonBody } from "@/lib/api/respond";
import { withSession } from "@/lib/api/with-session";
import { purgeDeadLetters } from "@/lib/operations/dead-letter-browse";
import { checkQueueName } from "@/lib/operations/redrive";
import { purgeSchema } from "@/lib/schemas/dead-letters";

export const dynamic = "force-dynamic";

// POST /api/queues/{name}/purge { confirmName } — delete every message in the queue (admin, audited).
export const POST = withSession<{ name: string }>("POST /api/queues/[name]/purge", async ({ req, params, ctx }) => {
  const { confirmName } = await parseJsonBody(req, purgeSchema);
  return purgeDeadLetters(ctx, checkQueueName(params.name), confirmName);
});
