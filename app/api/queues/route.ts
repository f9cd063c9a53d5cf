import { withSession } from "@/lib/api/with-session";
import { listQueues } from "@/lib/aws/sqs";

export const dynamic = "force-dynamic";

// GET /api/queues — every SQS queue in the account and region.
export const GET = withSession("GET /api/queues", async () => ({ queues: await listQueues() }));
