import { withSession } from "@/lib/api/with-session";
import { createApiToken, listTokens } from "@/lib/operations/api-tokens";
import { createTokenSchema } from "@/lib/schemas/api-tokens";

export const dynamic = "force-dynamic";

// GET /api/tokens — the caller's API tokens (an admin: every token), never their secrets.
export const GET = withSession("GET /api/tokens", async ({ ctx, user }) => ({ tokens: await listTokens(ctx, user) }));

// POST /api/tokens { name, expiresInDays, role?, service? } — a new token; its secret is in this answer only.
export const POST = withSession(
  "POST /api/tokens",
  async ({ ctx, user, body }) => Response.json(await createApiToken(ctx, user, body), { status: 201 }),
  { body: createTokenSchema },
);
