import { onSubscription } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { getConfig } from "@/lib/env";
import { compareFilterPolicy } from "@/lib/operations/filter-policy";
import { contextForUser } from "@/lib/request-context";
import { scopeSchema } from "@/lib/schemas/filter-policy";

export const dynamic = "force-dynamic";

// GET /api/subscriptions/{arn}/filter-policy/compare?environment=&region= — this policy beside its counterpart's there.
export const GET = withSession(
  "GET /api/subscriptions/[arn]/filter-policy/compare",
  async ({ params, query, ctx, user }) =>
    compareFilterPolicy(ctx, params.arn, contextForUser(getConfig(), user, ctx.requestId, query)),
  { ...onSubscription, query: scopeSchema },
);
