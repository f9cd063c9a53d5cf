import { z } from "zod";
import { withSession } from "@/lib/api/with-session";
import { getStore, listAudit } from "@/lib/store";

export const dynamic = "force-dynamic";

const filterSchema = z.object({
  target: z.string().max(2048).optional(),
  action: z.string().max(128).optional(),
  actor: z.string().max(128).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

// GET /api/audit — changes made through the console, newest first, filtered by target, action or actor.
export const GET = withSession("viewer", async ({ req }) => {
  const filter = filterSchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  return { entries: listAudit(getStore(), filter) };
});
