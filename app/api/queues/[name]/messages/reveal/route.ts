import { onQueue } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { revealField } from "@/lib/operations/dead-letter-browse";
import { revealSchema } from "@/lib/schemas/dead-letters";

export const dynamic = "force-dynamic";

// POST /api/queues/{name}/messages/reveal { messageId, path } — one masked value, if the queue's masking policy lets the
// caller reveal (403 naming the policy otherwise; audited by path and hash).
export const POST = withSession(
  "POST /api/queues/[name]/messages/reveal",
  async ({ params, body, ctx }) => revealField(ctx, params.name, body.messageId, body.path),
  { ...onQueue, body: revealSchema },
);
