import type { Metadata } from "next";
import { UnbuiltView } from "@/components/ui/unbuilt-view";

export const metadata: Metadata = { title: "Traces" };

export default function Page() {
  return <UnbuiltView title="Traces" purpose="Trace search, waterfalls and a service map, and the way from a dead letter to the invocation that failed it." />;
}
