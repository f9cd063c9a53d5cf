import { z } from "zod";
import { onSubscription } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { deadLetterSamples, recentEventSamples } from "@/lib/operations/pipeline-samples";

export const dynamic = "force-dynamic";

const querySchema = z.object({ source: z.enum(["dead-letters", "recent"]) });

// GET /api/subscriptions/{arn}/samples?source=dead-letters|recent — real messages to test the policy with, masked.
export const GET = withSession(
  "GET /api/subscriptions/[arn]/samples",
  async ({ params, query, ctx }) =>
    query.source === "dead-letters" ? deadLetterSamples(ctx, params.arn) : recentEventSamples(ctx, params.arn),
  // Reading dead letters receives them (and releases them at once).
  { ...onSubscription, query: querySchema, sideEffects: true },
);
