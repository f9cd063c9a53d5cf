import { z } from "zod";
import { withSession } from "@/lib/api/with-session";
import { deadLetterSamples, recentEventSamples } from "@/lib/operations/pipeline-samples";

export const dynamic = "force-dynamic";

const querySchema = z.object({ source: z.enum(["dead-letters", "recent"]) });

// GET /api/subscriptions/{arn}/samples?source=dead-letters|recent — real messages to test the policy with, masked.
export const GET = withSession<{ arn: string }>(
  "GET /api/subscriptions/[arn]/samples",
  async ({ req, params, ctx }) => {
    const { source } = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
    return source === "dead-letters" ? deadLetterSamples(ctx, params.arn) : recentEventSamples(ctx, params.arn);
  },
  // Reading dead letters receives them (and releases them at once).
  { sideEffects: true },
);
