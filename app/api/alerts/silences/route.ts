import { withSession } from "@/lib/api/with-session";
import { createSilence } from "@/lib/operations/alerts";
import { createSilenceSchema } from "@/lib/schemas/alerts";

export const dynamic = "force-dynamic";

// POST /api/alerts/silences — silence a rule, an ARN pattern or both for some minutes, with a reason (audited).
//   Body: { rule?, resource?, minutes, reason, clientKey? }.
export const POST = withSession(
  "POST /api/alerts/silences",
  async ({ body, ctx }) => ({ silence: await createSilence(ctx, body) }),
  { body: createSilenceSchema },
);
