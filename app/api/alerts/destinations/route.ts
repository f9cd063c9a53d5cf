import { withSession } from "@/lib/api/with-session";
import { addDestination, listDestinations } from "@/lib/operations/alert-destinations";
import { createDestinationSchema } from "@/lib/schemas/alert-destinations";

export const dynamic = "force-dynamic";

// GET /api/alerts/destinations — where the environment's alerts go: kind, name, where (no secret), whether configured
// or added here, and the last delivery failure in this region.
export const GET = withSession("GET /api/alerts/destinations", async ({ ctx }) => listDestinations(ctx));

// POST /api/alerts/destinations — add a destination to the environment (audited; secrets sealed in the store).
//   Body: { name, kind: "webhook", url, secret? } | { name, kind: "slack", url } | { name, kind: "pagerduty", routingKey, url? }.
export const POST = withSession("POST /api/alerts/destinations", async ({ body, ctx }) => addDestination(ctx, body), {
  body: createDestinationSchema,
});
