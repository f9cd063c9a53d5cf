import { onSubscription } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { filterPolicyImpact } from "@/lib/operations/filter-policy-impact";
import { filterPolicyImpactSchema } from "@/lib/schemas/filter-policy";

export const dynamic = "force-dynamic";

// POST /api/subscriptions/{arn}/filter-policy/impact — what saving this draft would change, over recent events and dead letters.
export const POST = withSession(
  "POST /api/subscriptions/[arn]/filter-policy/impact",
  async ({ params, body, ctx }) => filterPolicyImpact(ctx, params.arn, body),
  { ...onSubscription, body: filterPolicyImpactSchema },
);
