import type { Metadata } from "next";
import { Suspense } from "react";
import { SlaOverview } from "@/components/sla/sla-overview";
import { Skeleton } from "@/components/ui/skeleton";
import { Term } from "@/components/ui/term";

export const metadata: Metadata = { title: "SLA dashboards" };

export default function DashboardsPage() {
  return (
    <div className="page page-wide">
      <h1>Service-level dashboards</h1>
      <p className="lede">
        Is each part of the pipeline meeting its objective (its <Term term="sli" />
        ), how much <Term term="error-budget" /> is left over 30 days, and how fast it is burning (the{" "}
        <Term term="burn-rate" />
        ). Objectives are seeded from AWS&apos;s SLAs (SNS 99.9 %, SQS 99.9 %, Lambda 99.95 %) and the end-to-end one is
        their product.
      </p>
      <Suspense fallback={<Skeleton rows={6} label="Reading CloudWatch" />}>
        <SlaOverview />
      </Suspense>
    </div>
  );
}
