import type { Metadata } from "next";
import { DeadLetterOverview } from "@/components/dlq/dead-letter-overview";

export const metadata: Metadata = { title: "Dead letters" };

export default function DeadLettersPage() {
  return (
    <div className="page page-wide">
      <h1>Dead letters</h1>
      <p className="lede">
        Every dead-letter queue in this account and region, most troubled first: what it holds (letters someone has
        leased included), what arrived in the last 15 minutes, and how long until the oldest dead letter is deleted.
        Open one to read its messages safely and replay them.
      </p>
      <DeadLetterOverview />
    </div>
  );
}
