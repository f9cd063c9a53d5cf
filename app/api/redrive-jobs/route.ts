import { z } from "zod";
import { queueNameParam } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { listJobs } from "@/lib/operations/redrive";

export const dynamic = "force-dynamic";

// GET /api/redrive-jobs[?queue=name] — recent redrive jobs, newest first.
const querySchema = z.object({ queue: queueNameParam.optional() });

export const GET = withSession(
  "GET /api/redrive-jobs",
  async ({ query, ctx }) => ({ jobs: await listJobs(ctx, query.queue) }),
  {
    query: querySchema,
  },
);
