import { withSession } from "@/lib/api/with-session";
import { deadLetterOverview } from "@/lib/operations/dead-letters";

export const dynamic = "force-dynamic";

// GET /api/dead-letters — every dead-letter queue with its sources, depth, oldest age, growth and arrivals.
export const GET = withSession("GET /api/dead-letters", ({ ctx }) => deadLetterOverview(ctx));
