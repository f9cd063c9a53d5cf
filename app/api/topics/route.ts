import { withSession } from "@/lib/api/with-session";
import { accountTopics } from "@/lib/operations/endpoint";

export const dynamic = "force-dynamic";

// GET /api/topics — every SNS topic in the account and region.
export const GET = withSession("GET /api/topics", ({ ctx }) => accountTopics(ctx));
