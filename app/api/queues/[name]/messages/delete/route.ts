import { onQueue } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { deleteLeased } from "@/lib/operations/dead-letter-browse";
import { messageIdsSchema } from "@/lib/schemas/dead-letters";

export const dynamic = "force-dynamic";

// POST /api/queues/{name}/messages/delete { messageIds } — delete leased messages for good (audited).
export const POST = withSession(
  "POST /api/queues/[name]/messages/delete",
  async ({ params, body, ctx }) => deleteLeased(ctx, params.name, body.messageIds),
  { ...onQueue, body: messageIdsSchema },
);
