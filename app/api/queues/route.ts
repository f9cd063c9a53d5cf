import { withSession } from "@/lib/api/with-session";
import { accountQueues } from "@/lib/operations/endpoint";

export const dynamic = "force-dynamic";

// GET /api/queues — every SQS queue in the account and region.
export const GET = withSession("GET /api/queues", ({ ctx }) => accountQueues(ctx));
