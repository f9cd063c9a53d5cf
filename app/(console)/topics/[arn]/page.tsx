import type { Metadata } from "next";
import { RouteView } from "@/components/filter-policy/route-view";
import { arnName } from "@/lib/domain/subscription";

export const metadata: Metadata = { title: "Topic" };

export default async function TopicPage({ params }: { params: Promise<{ arn: string }> }) {
  const { arn } = await params;
  const topicArn = decodeURIComponent(arn);
  return (
    <div className="page">
      <h1>{arnName(topicArn)}</h1>
      <p className="lede mono">{topicArn}</p>
      <h2>Who gets this event?</h2>
      <p className="muted">
        Paste or pick a message as it would be published. Each subscription&apos;s live filter policy is tested against
        it; nothing is published.
      </p>
      <RouteView topicArn={topicArn} />
    </div>
  );
}
