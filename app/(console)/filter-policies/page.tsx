import type { Metadata } from "next";
import { UnbuiltView } from "@/components/ui/unbuilt-view";

export const metadata: Metadata = { title: "Filter policies" };

export default function Page() {
  return <UnbuiltView title="Filter policies" purpose="Edit subscription filter policies through forms, test them against sample messages before saving, and roll back to any earlier version." />;
}
