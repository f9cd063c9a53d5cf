import { onQueue } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { exportLeased } from "@/lib/operations/dead-letter-browse";
import { exportSchema } from "@/lib/schemas/dead-letters";

export const dynamic = "force-dynamic";

// POST /api/queues/{name}/messages/export { messageIds, reveal? } — the leased messages as JSON Lines, masked unless
// `reveal` and the queue's masking policy lets the caller reveal (audited; a reveal as a reveal too).
export const POST = withSession(
  "POST /api/queues/[name]/messages/export",
  async ({ params, body, ctx }) => {
    const name = params.name;
    return new Response(await exportLeased(ctx, name, body.messageIds, { reveal: body.reveal }), {
      headers: {
        "content-type": "application/x-ndjson; charset=utf-8",
        "content-disposition": `attachment; filename="${name}-dead-letters.jsonl"`,
      },
    });
  },
  { ...onQueue, body: exportSchema },
);
