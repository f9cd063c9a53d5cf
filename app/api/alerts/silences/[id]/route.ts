import { withSession } from "@/lib/api/with-session";
import { endSilence } from "@/lib/operations/alerts";
import { silenceParams } from "@/lib/schemas/alerts";

export const dynamic = "force-dynamic";

// DELETE /api/alerts/silences/{id} — end a silence before it expires (audited); ending it again changes nothing.
export const DELETE = withSession(
  "DELETE /api/alerts/silences/[id]",
  async ({ params, ctx }) => endSilence(ctx, params.id),
  { params: silenceParams },
);
