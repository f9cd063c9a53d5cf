import { withSession } from "@/lib/api/with-session";
import { removeDestination } from "@/lib/operations/alert-destinations";
import { destinationParams } from "@/lib/schemas/alert-destinations";

export const dynamic = "force-dynamic";

// DELETE /api/alerts/destinations/{id} — remove a destination added on the alerts page (audited).
export const DELETE = withSession(
  "DELETE /api/alerts/destinations/[id]",
  async ({ params, ctx }) => removeDestination(ctx, params.id),
  { params: destinationParams },
);
