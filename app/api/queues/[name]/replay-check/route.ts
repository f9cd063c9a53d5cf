import { onQueue } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { checkReplayOfView } from "@/lib/operations/replay-warning";
import { replayCheckSchema } from "@/lib/schemas/dead-letters";

export const dynamic = "force-dynamic";

// POST /api/queues/{name}/replay-check { messageIds? } — whether replaying these letters of the view (or all of it)
//   would only fail again: { warning, total, sampled, unavailable? }. Reads traces and Lambda; changes nothing.
export const POST = withSession(
  "POST /api/queues/[name]/replay-check",
  ({ params, body, ctx }) => checkReplayOfView(ctx, params.name, body.messageIds),
  { ...onQueue, body: replayCheckSchema },
);
