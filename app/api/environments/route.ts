import { withSession } from "@/lib/api/with-session";
import { environmentListing } from "@/lib/domain/environments";
import { getConfig } from "@/lib/env";

export const dynamic = "force-dynamic";

// GET /api/environments — the environments the caller may see, the default first, with the caller's role in each.
export const GET = withSession("GET /api/environments", async ({ user }) => ({
  environments: environmentListing(getConfig().environments, user.access),
}));
