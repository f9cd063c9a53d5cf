import type { Metadata } from "next";
import Link from "next/link";
import { FilterPolicyEditor } from "@/components/filter-policy/filter-policy-editor";
import { getSessionUser } from "@/lib/auth/session";
import { getConfig } from "@/lib/env";

export const metadata: Metadata = { title: "Edit filter policy" };

export default async function EditFilterPolicyPage({ params }: { params: Promise<{ arn: string }> }) {
  const arn = decodeURIComponent((await params).arn);
  // The console layout has already sent a signed-out browser to the login page.
  const role = (await getSessionUser())?.role ?? "viewer";
  return (
    <div className="page page-wide">
      <p>
        <Link href="/filter-policies">← All subscriptions</Link>
      </p>
      <h1>Subscription filter policy</h1>
      <p className="lede mono">{arn}</p>
      <FilterPolicyEditor arn={arn} endpointName={getConfig().localAwsName} role={role} />
    </div>
  );
}
