import { withSession } from "@/lib/api/with-session";
import { getConfig } from "@/lib/env";
import { getOverview } from "@/lib/operations/overview";
import { contextsOfEveryScope } from "@/lib/scope-contexts";
import { actorIn } from "@/lib/request-context";

export const dynamic = "force-dynamic";

// GET /api/overview — every environment and region the caller may see, each summed up, or why it could not be read.
export const GET = withSession("GET /api/overview", ({ user, ctx }) =>
  getOverview(contextsOfEveryScope(getConfig(), (environment) => actorIn(user, environment), ctx.requestId)),
);
