import type { Metadata } from "next";
import { UnbuiltView } from "@/components/ui/unbuilt-view";

export const metadata: Metadata = { title: "Dead letters" };

export default function Page() {
  return <UnbuiltView title="Dead letters" purpose="Find every dead-letter queue, read its messages safely, and replay them one by one, by selection, or all at a controlled rate." />;
}
