import { withSession } from "@/lib/api/with-session";
import { listJobs } from "@/lib/operations/redrive";

export const dynamic = "force-dynamic";

// GET /api/redrive-jobs[?queue=name] — recent redrive jobs, newest first.
export const GET = withSession("GET /api/redrive-jobs", async ({ req, ctx }) => ({
  jobs: listJobs(ctx, new URL(req.url).searchParams.get("queue") ?? undefined),
}));
