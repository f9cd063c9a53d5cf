import type { Metadata } from "next";
import { UnbuiltView } from "@/components/ui/unbuilt-view";

export const metadata: Metadata = { title: "Dashboards" };

export default function Page() {
  return (
    <UnbuiltView
      title="Dashboards"
      purpose="SLOs per service and end to end, with error budgets, burn rates and the CloudWatch metrics behind them."
      related={{ href: "/dead-letters", label: "the dead-letter queues, most troubled first" }}
    />
  );
}
