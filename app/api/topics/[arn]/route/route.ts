import { onTopic } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { routeMessage } from "@/lib/operations/filter-policy";
import { routeMessageSchema } from "@/lib/schemas/filter-policy";

export const dynamic = "force-dynamic";

// POST /api/topics/{arn}/route — which subscriptions of the topic would receive this message, and why.
export const POST = withSession(
  "POST /api/topics/[arn]/route",
  async ({ params, body, ctx }) => routeMessage(ctx, params.arn, body.message),
  { ...onTopic, body: routeMessageSchema },
);
