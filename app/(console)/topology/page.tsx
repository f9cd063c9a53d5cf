import type { Metadata } from "next";
import { Suspense } from "react";
import { redirect } from "next/navigation";
import { TopologyView } from "@/components/topology/topology-view";
import { Skeleton } from "@/components/ui/skeleton";
import { Term } from "@/components/ui/term";
import { getSessionUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Topology" };

export default async function TopologyPage() {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  return (
    <div className="page page-wide">
      <h1>Topology</h1>
      <p className="lede">
        Every topic, queue, dead-letter queue, function and alarm in this account and region, how they connect, and what
        looks wrong (health and configuration <Term term="finding">findings</Term>); refreshed every 15 seconds.
      </p>
      <Suspense fallback={<Skeleton rows={8} label="Collecting the topology" />}>
        <TopologyView role={user.role} />
      </Suspense>
    </div>
  );
}
