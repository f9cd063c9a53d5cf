import { onSubscription } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { rollbackFilterPolicy } from "@/lib/operations/filter-policy";
import { rollbackFilterPolicySchema } from "@/lib/schemas/filter-policy";

export const dynamic = "force-dynamic";

// POST /api/subscriptions/{arn}/filter-policy/rollback — put back an earlier version, as a new change.
export const POST = withSession(
  "POST /api/subscriptions/[arn]/filter-policy/rollback",
  async ({ params, body, ctx }) => rollbackFilterPolicy(ctx, params.arn, body),
  { ...onSubscription, body: rollbackFilterPolicySchema },
);
