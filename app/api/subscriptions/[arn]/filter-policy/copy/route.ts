import { checkSubscriptionArn, onSubscription } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { getConfig } from "@/lib/env";
import { copyFilterPolicy } from "@/lib/operations/filter-policy";
import { contextForUser } from "@/lib/request-context";
import { copyFilterPolicySchema } from "@/lib/schemas/filter-policy";

export const dynamic = "force-dynamic";

// POST /api/subscriptions/{arn}/filter-policy/copy — put another environment's policy on this subscription (the target).
export const POST = withSession(
  "POST /api/subscriptions/[arn]/filter-policy/copy",
  async ({ params, body, ctx, user }) => {
    const source = contextForUser(getConfig(), user, ctx.requestId, body.from);
    const sourceArn = await checkSubscriptionArn(source, body.from.subscriptionArn, "from.subscriptionArn");
    return copyFilterPolicy(ctx, params.arn, source, { sourceArn, expected: body.expected });
  },
  { ...onSubscription, body: copyFilterPolicySchema },
);
