import { withSession } from "@/lib/api/with-session";
import { revokeToken } from "@/lib/operations/api-tokens";
import { tokenParams } from "@/lib/schemas/api-tokens";

export const dynamic = "force-dynamic";

// DELETE /api/tokens/{id} — revoke a token of the caller's (an admin: anyone's); safe to repeat.
export const DELETE = withSession(
  "DELETE /api/tokens/[id]",
  async ({ ctx, user, params }) => revokeToken(ctx, user, params.id),
  { params: tokenParams },
);
