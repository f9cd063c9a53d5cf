import { parseJsonBody } from "@/lib/api/respond";
import { withSession } from "@/lib/api/with-session";
import { revealField } from "@/lib/operations/dead-letter-browse";
import { checkQueueName } from "@/lib/operations/redrive";
import { revealSchema } from "@/lib/schemas/dead-letters";

export const dynamic = "force-dynamic";

// POST /api/queues/{name}/messages/reveal { messageId, path } — one masked value (audited by path and hash).
export const POST = withSession<{ name: string }>(
  "POST /api/queues/[name]/messages/reveal",
  async ({ req, params, ctx }) => {
    const { messageId, path } = await parseJsonBody(req, revealSchema);
    return revealField(ctx, checkQueueName(params.name), messageId, path);
  },
);
