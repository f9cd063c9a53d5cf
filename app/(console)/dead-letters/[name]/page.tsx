import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { DeadLetterBrowser } from "@/components/dlq/dead-letter-browser";
import { Term } from "@/components/ui/term";
import { getSessionUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Dead-letter queue" };

export default async function DeadLetterQueuePage({ params }: { params: Promise<{ name: string }> }) {
  const name = decodeURIComponent((await params).name);
  const user = await getSessionUser();
  if (!user) redirect("/login");
  return (
    <div className="page page-wide">
      <p>
        <Link href="/dead-letters">← All dead-letter queues</Link>
      </p>
      <h1>
        Dead letters in <span className="mono">{name}</span>
      </h1>
      <p className="lede">
        Reading the queue takes a <Term term="lease" /> on the messages shown; they go back to the queue when you leave.
      </p>
      <DeadLetterBrowser queue={name} role={user.role} />
    </div>
  );
}
