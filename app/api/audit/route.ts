import { withSession } from "@/lib/api/with-session";
import { auditEntryFor } from "@/lib/domain/audit-view";
import { readAuditTrail } from "@/lib/operations/audit-trail";
import { auditQuerySchema } from "@/lib/schemas/audit";

export const dynamic = "force-dynamic";

// GET /api/audit[?action=a,b&actor=&target=&outcome=&environment=&region=&account=&from=&to=&limit=&format=jsonl] —
// what was done through the console and every sign-in, newest first, in every environment (actor and target
// match by part, any case; environment, region and account exactly); each entry says where it was done.
// As JSON Lines, one entry per line, to download. There is no route that edits or deletes an entry.
// Failed sign-ins show the typed user name to admins only (lib/operations/audit-trail.ts).
export const GET = withSession(
  "GET /api/audit",
  async ({ query: { format, ...filter }, ctx }) => {
    // A reveal's fingerprint is for operators (auditEntryFor).
    const entries = (await readAuditTrail(ctx, format === "jsonl" ? { limit: 10_000, ...filter } : filter)).map((e) =>
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
  { query: auditQuerySchema },
);
