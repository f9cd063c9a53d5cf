import { onQueue } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { getConfig } from "@/lib/env";
import { copyDeadLetters } from "@/lib/operations/copy-letters";
import { contextForUser } from "@/lib/request-context";
import { copyRequestSchema } from "@/lib/schemas/dead-letters";

export const dynamic = "force-dynamic";

// POST /api/queues/{name}/copy — copy (or move) leased letters into a queue of another environment → per-letter outcomes.
//   The body: { target: { environment, region, queue }, messageIds, move? }; the caller must be an operator in the target
//   environment too (checked by the operation).
export const POST = withSession(
  "POST /api/queues/[name]/copy",
  async ({ params, body, ctx, user }) =>
    copyDeadLetters(ctx, contextForUser(getConfig(), user, ctx.requestId, body.target), params.name, body),
  { ...onQueue, body: copyRequestSchema },
);
