import { z } from "zod";
import { withSession } from "@/lib/api/with-session";
import { MAX_LEASED, openLease } from "@/lib/operations/dead-letter-browse";
import { checkQueueName } from "@/lib/operations/redrive";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  max: z.coerce.number().int().min(1).max(MAX_LEASED).default(100),
  confirm: z.enum(["source-read"]).optional(),
});

// GET /api/queues/{name}/messages?max=100[&confirm=source-read] — lease up to max messages for this user and show them, masked.
export const GET = withSession<{ name: string }>(
  "GET /api/queues/[name]/messages",
  async ({ req, params, ctx }) => {
    const query = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
    return openLease(ctx, checkQueueName(params.name), {
      max: query.max,
      confirmSourceRead: query.confirm === "source-read",
    });
  },
  { sideEffects: true },
);
