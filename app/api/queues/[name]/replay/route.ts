import { MAX_REPLAY_BODY_BYTES } from "@/lib/api/respond";
import { onQueue } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { startReplay } from "@/lib/operations/redrive";
import { replayRequestSchema } from "@/lib/schemas/dead-letters";

export const dynamic = "force-dynamic";

// POST /api/queues/{name}/replay — start a redrive job of the letters → 202 { jobId, … }. The body: { messageIds | all, filter?,
//   target? (a name, or { queue, override } for an admin), ratePerSecond?, edits?, clientKey? }.
export const POST = withSession(
  "POST /api/queues/[name]/replay",
  async ({ params, body, ctx }) => {
    const job = await startReplay(ctx, params.name, body);
    return Response.json({ jobId: job.id, ...job }, { status: 202 });
  },
  { ...onQueue, body: replayRequestSchema, maxBodyBytes: MAX_REPLAY_BODY_BYTES },
);
