import { withSession } from "@/lib/api/with-session";
import { testFilterPolicy } from "@/lib/operations/filter-policy";
import { testFilterPolicySchema } from "@/lib/schemas/filter-policy";

export const dynamic = "force-dynamic";

// POST /api/filter-policy/test — match and explanation of a policy for each sample message; no AWS call.
export const POST = withSession("POST /api/filter-policy/test", async ({ body, ctx }) => testFilterPolicy(ctx, body), {
  body: testFilterPolicySchema,
});
