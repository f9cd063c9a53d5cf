import { z } from "zod";
import { withSession } from "@/lib/api/with-session";
import { auditEntryFor } from "@/lib/domain/audit-view";
import { readAuditTrail } from "@/lib/operations/audit-trail";

export const dynamic = "force-dynamic";

const filterSchema = z.object({
  target: z.string().max(2048).optional(),
  action: z.string().max(128).optional(),
  actor: z.string().max(128).optional(),
  outcome: z.enum(["success", "failure", "pending"], { message: "success, failure or pending" }).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
  format: z.enum(["json", "jsonl"], { message: "json or jsonl" }).optional(),
});

// GET /api/audit[?target=&action=&actor=&limit=&format=jsonl] — what was done through the console and every sign-in, newest first;
// as JSON Lines, one entry per line, to download. There is no route that edits or deletes an entry.
// Failed sign-ins show the typed user name to admins only (lib/operations/audit-trail.ts).
export const GET = withSession(
  "GET /api/audit",
  async ({ query: { format, ...filter }, ctx }) => {
    // A reveal's fingerprint is for operators (auditEntryFor).
    const entries = readAuditTrail(ctx, format === "jsonl" ? { limit: 10_000, ...filter } : filter).map((e) =>
      auditEntryFor(e, ctx.actor.role),
    );
    if (format !== "jsonl") return { entries };
    return new Response(entries.map((e) => JSON.stringify(e)).join("\n") + (entries.length ? "\n" : ""), {
      headers: {
        "content-type": "application/x-ndjson; charset=utf-8",
        "content-disposition": `attachment; filename="fanout-audit-${new Date().toISOString().slice(0, 19).replace(/:/g, "")}.jsonl"`,
      },
    });
  },
  { query: filterSchema },
);
