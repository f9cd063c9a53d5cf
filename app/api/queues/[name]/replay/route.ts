import { MAX_REPLAY_BODY_BYTES, parseJsonBody } from "@/lib/api/respond";
import { queueParams } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { startReplay } from "@/lib/operations/redrive";
import { replayRequestSchema } from "@/lib/schemas/dead-letters";

export const dynamic = "force-dynamic";

// POST /api/queues/{name}/replay { messageIds | all, filter?, target? (a name, or { queue, override } for an admin),
//   ratePerSecond?, edits?, clientKey? } → { jobId, … }
export const POST = withSession(
  "POST /api/queues/[name]/replay",
  async ({ req, params, ctx }) => {
    const job = await startReplay(
      ctx,
      params.name,
      await parseJsonBody(req, replayRequestSchema, MAX_REPLAY_BODY_BYTES),
    );
    return Response.json({ jobId: job.id, ...job }, { status: 202 });
  },
  { params: queueParams },
);
