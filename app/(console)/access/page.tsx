import type { Metadata } from "next";
import { Suspense } from "react";
import { AccessExplainer } from "@/components/access/access-explainer";
import { Skeleton } from "@/components/ui/skeleton";
import { pageUserOf } from "@/lib/auth/page-user";
import { listUsers } from "@/lib/auth/users";

export const metadata: Metadata = { title: "Access" };
export const dynamic = "force-dynamic";

/** "What can this user do here, and why?", for admins: other people's permissions are theirs to see. */
export default async function AccessPage({ params }: { params: Promise<Record<string, string>> }) {
  const { role, environment } = await pageUserOf(params);
  return (
    <div className="page page-wide">
      <h1>Access</h1>
      <p className="lede">
        What a user may do to one resource of {environment.name}, and why: each of their role bindings, matched or not,
        and every action of the console on that resource. A binding gives a role on environments and resources (ARN
        patterns, tags); the highest role among the bindings that match the resource is what counts there.
      </p>
      {role === "admin" ? (
        <Suspense fallback={<Skeleton rows={2} label="Loading" />}>
          <AccessExplainer users={listUsers().map((u) => u.username)} />
        </Suspense>
      ) : (
        <p role="status">Only admins can see what other people may do; you are {role} here.</p>
      )}
    </div>
  );
}
