import type { Metadata } from "next";
import { AuditLog } from "@/components/audit/audit-log";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<{ target?: string; action?: string; actor?: string }>;
}) {
  const { target, action, actor } = await searchParams;
  return (
    <div className="page page-wide">
      <h1>Audit</h1>
      <p className="lede">
        Every change made through the console and every sign-in: who, when, what, before and after, and whether it
        worked. Entries are never edited or deleted.
      </p>
      <AuditLog initial={{ target, action, actor }} />
    </div>
  );
}
