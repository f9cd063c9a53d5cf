import { withSession } from "@/lib/api/with-session";
import { deadLetterOverview } from "@/lib/operations/dead-letters";

export const dynamic = "force-dynamic";

// GET /api/dlqs — every dead-letter queue with its sources, depth, oldest age, growth and arrivals, most troubled first.
export const GET = withSession("GET /api/dlqs", ({ ctx }) => deadLetterOverview(ctx));
