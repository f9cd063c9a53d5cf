import { withSession } from "@/lib/api/with-session";
import { revealWebhookSecret } from "@/lib/operations/alert-destinations";

export const dynamic = "force-dynamic";

// POST /api/alerts/webhook-secret — the key webhooks sign with unless they have their own (audited), with the
// X-Fanout-Signature format. A POST: reading it is recorded, and a link or a prefetch must not read it.
export const POST = withSession("POST /api/alerts/webhook-secret", async ({ ctx }) => revealWebhookSecret(ctx));
