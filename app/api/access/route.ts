import { withSession } from "@/lib/api/with-session";
import { bindingsOfUser } from "@/lib/auth/sessions";
import { AppError } from "@/lib/domain/app-error";
import { explainAccessOn } from "@/lib/operations/access-explain";
import { accessQuerySchema } from "@/lib/schemas/access";

export const dynamic = "force-dynamic";

// GET /api/access?user=&arn= — what the user may do to the resource in this environment, and why: each of their
// bindings matched or not (with the reason), their role there, and every action on that kind of resource allowed or not.
export const GET = withSession(
  "GET /api/access",
  async ({ query, ctx }) => {
    const bound = await bindingsOfUser(query.user);
    if (!bound)
      throw new AppError(
        "not_found",
        `user: no user ${query.user} in the users file or among single sign-on sign-ins.`,
        {
          issues: [{ path: "user", message: "no such user" }],
        },
      );
    return explainAccessOn(ctx, { user: query.user, ...bound }, query.arn);
  },
  { query: accessQuerySchema },
);
