import type { Metadata } from "next";
import { Suspense } from "react";
import { preload } from "react-dom";
import { TopologyView } from "@/components/topology/topology-view";
import { Skeleton } from "@/components/ui/skeleton";
import { Term } from "@/components/ui/term";
import { pageUserOf } from "@/lib/auth/page-user";
import { scopedApiPath, scopeOfParams } from "@/lib/domain/scope";

export const metadata: Metadata = { title: "Topology" };

export default async function TopologyPage({ params }: { params?: Promise<Record<string, string>> }) {
  const { role } = await pageUserOf(params);
  // The graph is asked for while the page's scripts load, not after: the view's own request takes this answer.
  preload(scopedApiPath(scopeOfParams(await params), "/api/topology"), { as: "fetch", crossOrigin: "anonymous" });
  return (
    <div className="page page-wide">
      <h1>Topology</h1>
      <p className="lede">
        Every topic, queue, dead-letter queue, function and alarm in this account and region, how they connect, and what
        looks wrong (health and configuration <Term term="finding">findings</Term>); refreshed every 15 seconds.
      </p>
      <Suspense fallback={<Skeleton rows={8} label="Collecting the topology" />}>
        <TopologyView role={role} />
      </Suspense>
    </div>
  );
}
