import type { Metadata } from "next";
import { ScopedLink } from "@/components/ui/scoped-link";
import { DeadLetterBrowser } from "@/components/dlq/dead-letter-browser";
import { Term } from "@/components/ui/term";
import { pageUserOf } from "@/lib/auth/page-user";

export const metadata: Metadata = { title: "Dead-letter queue" };

export default async function DeadLetterQueuePage({ params }: { params: Promise<{ name: string }> }) {
  const name = decodeURIComponent((await params).name);
  const { role } = await pageUserOf(params);
  return (
    <div className="page page-wide">
      <p>
        <ScopedLink href="/dead-letters">← All dead-letter queues</ScopedLink>
      </p>
      <h1>
        Dead letters in <span className="mono">{name}</span>
      </h1>
      <p className="lede">
        Reading the queue takes a <Term term="lease" /> on the messages shown; they go back to the queue when you leave.
      </p>
      <DeadLetterBrowser queue={name} role={role} />
    </div>
  );
}
