import type { Metadata } from "next";
import { ScopedLink } from "@/components/ui/scoped-link";
import { FilterPolicyEditor } from "@/components/filter-policy/filter-policy-editor-loader";
import { pageUserOf } from "@/lib/auth/page-user";
import { getConfig } from "@/lib/env";

export const metadata: Metadata = { title: "Edit filter policy" };

export default async function EditFilterPolicyPage({ params }: { params: Promise<{ arn: string }> }) {
  const arn = decodeURIComponent((await params).arn);
  const { role } = await pageUserOf(params);
  return (
    <div className="page page-wide">
      <p>
        <ScopedLink href="/filter-policies">← All subscriptions</ScopedLink>
      </p>
      <h1>Subscription filter policy</h1>
      <p className="lede mono">{arn}</p>
      <FilterPolicyEditor arn={arn} endpointName={getConfig().localAwsName} role={role} />
    </div>
  );
}
