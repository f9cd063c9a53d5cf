import { z } from "zod";
import { onQueue } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { MAX_LEASED, openLease } from "@/lib/operations/dead-letter-browse";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  max: z.coerce.number().int().min(1).max(MAX_LEASED).default(100),
  confirm: z.enum(["source-read"]).optional(),
});

// GET /api/queues/{name}/messages?max=100[&confirm=source-read] — lease up to max messages for this user and show them, masked.
export const GET = withSession(
  "GET /api/queues/[name]/messages",
  ({ params, query, ctx }) =>
    openLease(ctx, params.name, { max: query.max, confirmSourceRead: query.confirm === "source-read" }),
  { ...onQueue, query: querySchema, sideEffects: true },
);
