import { z } from "zod";
import { withSession } from "@/lib/api/with-session";
import { removeSampleMessage } from "@/lib/operations/sample-messages";

export const dynamic = "force-dynamic";

// DELETE /api/sample-messages/{id} — forget a saved sample message (audited).
const paramsSchema = z.object({ id: z.coerce.number().int().positive() });

export const DELETE = withSession(
  "DELETE /api/sample-messages/[id]",
  async ({ params, ctx }) => removeSampleMessage(ctx, params.id),
  { params: paramsSchema },
);
