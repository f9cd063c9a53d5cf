import type { Metadata } from "next";
import { Suspense } from "react";
import { TracesView } from "@/components/traces/traces-view";
import { Skeleton } from "@/components/ui/skeleton";

export const metadata: Metadata = { title: "Traces" };

export default function TracesPage() {
  return (
    <div className="page page-wide">
      <h1>Traces</h1>
      <p className="lede">
        The X-Ray traces of the pipeline: each publish, and each Lambda invocation linked to the messages it consumed.
        Filter them, open one as a waterfall, or see the services they pass through as a map.
      </p>
      <Suspense fallback={<Skeleton rows={6} label="Reading traces" />}>
        <TracesView />
      </Suspense>
    </div>
  );
}
