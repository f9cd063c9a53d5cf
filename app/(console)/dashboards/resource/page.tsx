import type { Metadata } from "next";
import { ScopedLink } from "@/components/ui/scoped-link";
import { Suspense } from "react";
import { ResourceCharts } from "@/components/sla/resource-charts";
import { Skeleton } from "@/components/ui/skeleton";

export const metadata: Metadata = { title: "Resource metrics" };

export default async function ResourceMetricsPage({
  searchParams,
}: {
  searchParams: Promise<{ kind?: string; name?: string }>;
}) {
  const { kind, name } = await searchParams;
  return (
    <div className="page page-wide">
      <p>
        <ScopedLink href="/dashboards">← Service levels</ScopedLink>
      </p>
      <h1>
        {kind ?? "resource"} <span className="mono">{name}</span>
      </h1>
      <Suspense fallback={<Skeleton rows={6} label="Reading CloudWatch" />}>
        <ResourceCharts />
      </Suspense>
    </div>
  );
}
