import { parseJsonBody } from "@/lib/api/respond";
import { withSession } from "@/lib/api/with-session";
import { deleteLeased } from "@/lib/operations/dead-letter-browse";
import { checkQueueName } from "@/lib/operations/redrive";
import { messageIdsSchema } from "@/lib/schemas/dead-letters";

export const dynamic = "force-dynamic";

// POST /api/queues/{name}/messages/delete { messageIds } — delete leased messages for good (audited).
export const POST = withSession<{ name: string }>(
  "POST /api/queues/[name]/messages/delete",
  async ({ req, params, ctx }) => {
    const { messageIds } = await parseJsonBody(req, messageIdsSchema);
    return deleteLeased(ctx, checkQueueName(params.name), messageIds);
  },
);
