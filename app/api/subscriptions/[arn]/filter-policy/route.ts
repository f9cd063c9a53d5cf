import { onSubscription } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { saveFilterPolicy } from "@/lib/operations/filter-policy";
import { saveFilterPolicySchema } from "@/lib/schemas/filter-policy";

export const dynamic = "force-dynamic";

// PUT /api/subscriptions/{arn}/filter-policy — save the filter policy: validate, check for a concurrent change, apply, audit, version.
export const PUT = withSession(
  "PUT /api/subscriptions/[arn]/filter-policy",
  async ({ params, body, ctx }) => saveFilterPolicy(ctx, params.arn, body),
  { ...onSubscription, body: saveFilterPolicySchema },
);
