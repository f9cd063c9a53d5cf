import { z } from "zod";
import { withSession } from "@/lib/api/with-session";
import { redriveJobResource } from "@/lib/api/params";
import { actOnJob, redriveJobScope } from "@/lib/operations/redrive";
import { redriveActionSchema } from "@/lib/schemas/dead-letters";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ jobId: z.string(), action: redriveActionSchema });

// POST /api/redrive-jobs/{jobId}/{pause|resume|cancel} — pause, resume or cancel the job, in its environment, with the caller's role there.
export const POST = withSession(
  "POST /api/redrive-jobs/[jobId]/[action]",
  async ({ params, ctx }) => actOnJob(ctx, params.jobId, params.action),
  {
    params: paramsSchema,
    resourceScope: (raw) => redriveJobScope(raw.jobId),
    resource: redriveJobResource,
  },
);
