import { parseJsonBody } from "@/lib/api/respond";
import { queueParams } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { revealField } from "@/lib/operations/dead-letter-browse";
import { revealSchema } from "@/lib/schemas/dead-letters";

export const dynamic = "force-dynamic";

// POST /api/queues/{name}/messages/reveal { messageId, path } — one masked value (audited by path and hash).
export const POST = withSession(
  "POST /api/queues/[name]/messages/reveal",
  async ({ req, params, ctx }) => {
    const { messageId, path } = await parseJsonBody(req, revealSchema);
    return revealField(ctx, params.name, messageId, path);
  },
  { params: queueParams },
);
