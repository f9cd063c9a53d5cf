import { z } from "zod";
import { withSession } from "@/lib/api/with-session";
import { removeSampleMessage } from "@/lib/operations/sample-messages";

export const dynamic = "force-dynamic";

// DELETE /api/sample-messages/{id} — forget a saved sample message (audited).
export const DELETE = withSession<{ id: string }>("DELETE /api/sample-messages/[id]", async ({ params, ctx }) =>
  removeSampleMessage(ctx, z.coerce.number().int().positive().parse(params.id)),
);
