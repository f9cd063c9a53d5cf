import { withSession } from "@/lib/api/with-session";
import { listSubscriptions } from "@/lib/aws/sns";

export const dynamic = "force-dynamic";

// GET /api/subscriptions — every SNS subscription with its filter policy.
export const GET = withSession("GET /api/subscriptions", async () => ({ subscriptions: await listSubscriptions() }));
