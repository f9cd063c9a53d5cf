import { onSubscription } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { filterPolicyHistory } from "@/lib/operations/filter-policy";

export const dynamic = "force-dynamic";

// GET /api/subscriptions/{arn}/filter-policy/history — every version saved through the console, newest first.
export const GET = withSession(
  "GET /api/subscriptions/[arn]/filter-policy/history",
  async ({ params, ctx }) => ({ history: await filterPolicyHistory(ctx, params.arn) }),
  { ...onSubscription },
);
