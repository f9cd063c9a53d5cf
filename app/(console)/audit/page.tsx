import type { Metadata } from "next";
import { UnbuiltView } from "@/components/ui/unbuilt-view";

export const metadata: Metadata = { title: "Audit" };

export default function Page() {
  return <UnbuiltView title="Audit" purpose="Every change made through the console: who, when, what, before and after." />;
}
