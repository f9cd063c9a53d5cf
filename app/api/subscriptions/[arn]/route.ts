import { onSubscription } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { getSubscriptionWithHistory } from "@/lib/operations/filter-policy";

export const dynamic = "force-dynamic";

// GET /api/subscriptions/{arn} — one subscription: filter policy, scope, raw delivery, topic, endpoint, policy history.
export const GET = withSession(
  "GET /api/subscriptions/[arn]",
  async ({ params, ctx }) => getSubscriptionWithHistory(ctx, params.arn),
  { ...onSubscription },
);
