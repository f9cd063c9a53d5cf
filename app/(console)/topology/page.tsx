import type { Metadata } from "next";
import { ResourceLists } from "@/components/topology/resource-lists";

export const metadata: Metadata = { title: "Topology" };

export default function TopologyPage() {
  return (
    <div className="page">
      <h1>Topology</h1>
      <p className="lede">The topics and queues in this account and region, refreshed every 30 seconds.</p>
      <ResourceLists />
    </div>
  );
}
