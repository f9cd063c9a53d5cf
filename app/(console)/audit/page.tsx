import type { Metadata } from "next";
import { Suspense } from "react";
import { AuditLog } from "@/components/audit/audit-log";
import { Skeleton } from "@/components/ui/skeleton";

export const metadata: Metadata = { title: "Audit" };

export default function AuditPage() {
  return (
    <div className="page page-wide">
      <h1>Audit</h1>
      <p className="lede">
        Every change made through the console and every sign-in: who, when, what, before and after, and whether it
        worked. Entries are never edited or deleted.
      </p>
      <Suspense fallback={<Skeleton rows={4} label="Loading the audit log" />}>
        <AuditLog />
      </Suspense>
    </div>
  );
}
