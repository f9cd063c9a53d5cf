import type { Metadata } from "next";
import { SubscriptionList } from "@/components/filter-policy/subscription-list";

export const metadata: Metadata = { title: "Filter policies" };

export default function FilterPoliciesPage() {
  return (
    <div className="page">
      <h1>Filter policies</h1>
      <p className="lede">
        Every subscription and what its filter policy tests. Open one to edit, test and roll back its policy.
      </p>
      <SubscriptionList />
    </div>
  );
}
