import { withSession } from "@/lib/api/with-session";
import { listTopics } from "@/lib/aws/sns";

export const dynamic = "force-dynamic";

// GET /api/topics — every SNS topic in the account and region.
export const GET = withSession("GET /api/topics", async () => ({ topics: await listTopics() }));
