import { withSession } from "@/lib/api/with-session";
import { alertsView } from "@/lib/operations/alerts";

export const dynamic = "force-dynamic";

// GET /api/alerts — the alerts firing, those resolved within a day and the silences that hold, within the caller's
// bindings; each alert with its link, the silence holding it and any notification failing to arrive.
export const GET = withSession("GET /api/alerts", async ({ ctx }) => alertsView(ctx));
