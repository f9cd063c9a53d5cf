import { z } from "zod";
import { withSession } from "@/lib/api/with-session";
import { actOnJob } from "@/lib/operations/redrive";
import { redriveActionSchema } from "@/lib/schemas/dead-letters";

export const dynamic = "force-dynamic";

// POST /api/redrive-jobs/{jobId}/{pause|resume|cancel}
export const POST = withSession<{ jobId: string; action: string }>(
  "POST /api/redrive-jobs/[jobId]/[action]",
  async ({ params, ctx }) =>
    actOnJob(ctx, params.jobId, z.object({ action: redriveActionSchema }).parse({ action: params.action }).action),
);
