import { z } from "zod";
import { pathParam, redriveJobResource } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { getJob, redriveJobScope } from "@/lib/operations/redrive";

export const dynamic = "force-dynamic";

// GET /api/redrive-jobs/{jobId} — the job, in whichever environment it acts → { status, moved, failed, remaining, engine, … }.
export const GET = withSession("GET /api/redrive-jobs/[jobId]", async ({ params, ctx }) => getJob(ctx, params.jobId), {
  params: z.object({ jobId: pathParam }),
  resourceScope: (raw) => redriveJobScope(raw.jobId),
  resource: redriveJobResource,
});
