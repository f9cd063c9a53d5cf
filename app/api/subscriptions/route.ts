import { withSession } from "@/lib/api/with-session";
import { accountSubscriptions } from "@/lib/operations/endpoint";

export const dynamic = "force-dynamic";

// GET /api/subscriptions — every SNS subscription with its filter policy.
export const GET = withSession("GET /api/subscriptions", ({ ctx }) => accountSubscriptions(ctx));
