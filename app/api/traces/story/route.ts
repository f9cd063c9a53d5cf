import { withSession } from "@/lib/api/with-session";
import { getMessageStory } from "@/lib/operations/traces";
import { messageStoryQuerySchema } from "@/lib/schemas/traces";

export const dynamic = "force-dynamic";

// GET /api/traces/story?header=<AWSTraceHeader>&dlq=<queue name>&message=<message id> — the producer trace of a message and the invocations linked to it.
export const GET = withSession(
  "GET /api/traces/story",
  async ({ query: { header, dlq, message }, ctx }) =>
    getMessageStory(ctx, {
      ...(header ? { header } : {}),
      ...(dlq ? { dlq } : {}),
      ...(message ? { messageId: message } : {}),
    }),
  { query: messageStoryQuerySchema },
);
