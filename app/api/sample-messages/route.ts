import { withSession } from "@/lib/api/with-session";
import { sampleMessages, saveSampleMessage } from "@/lib/operations/sample-messages";
import { saveSampleMessageSchema } from "@/lib/schemas/filter-policy";

export const dynamic = "force-dynamic";

// GET /api/sample-messages — the sample messages saved for testing filter policies.
export const GET = withSession("GET /api/sample-messages", async ({ ctx }) => ({ samples: await sampleMessages(ctx) }));

// POST /api/sample-messages — save a sample message under a unique name (audited).
export const POST = withSession(
  "POST /api/sample-messages",
  async ({ body, ctx }) => ({ sample: await saveSampleMessage(ctx, body) }),
  { body: saveSampleMessageSchema },
);
