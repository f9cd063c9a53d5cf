import "server-only";
import { receiveMessages } from "../aws/sqs";
import { firstErrorOf, newestLetterOf, tracedHeaderOf, type NewestLetter } from "../domain/alerts/newest-letter";
import { failedAttemptsOf } from "../domain/failure-groups";
import { scopedPagePath } from "../domain/scope";
import { messageTraceHref } from "../domain/traces/header";
import { getStore } from "../store";
import { liveLeasesOnQueue } from "../store/dead-letter-leases";
import { scopeOfContext, type OperationContext } from "./context";
import { getMessageStory } from "./traces";

/** Letters one peek reads: one receive of at most 10, all SQS hands out at once. */
const PEEK_MAX = 10;

/**
 * The newest dead letter of a DLQ where letters just arrived, for its alert: a peek of up to 10
 * letters (ReceiveMessage with VisibilityTimeout 0, so they stay visible to everyone), the newest by
 * SentTimestamp, and from its story (as the replay check reads it) the first error of its failed
 * invocation and its trace's page. A peek is a receive: it raises the ApproximateReceiveCount of
 * each letter it reads. So a DLQ is not peeked when that count could move its letters on (`redrives`:
 * it has a redrive policy of its own), nor while an operator's lease holds letters of it (the
 * console is reading it for them then), nor a FIFO DLQ (a receive holds the message's group:
 * lib/operations/replay-warning.ts).
 * Undefined when nothing could be read; whatever fails only leaves the alert without these parts.
 */
export async function newestDeadLetter(
  ctx: OperationContext,
  dlq: { name: string; url: string; fifo: boolean; redrives: boolean },
  baseUrl: string,
  now: number,
): Promise<NewestLetter | undefined> {
  if (dlq.fifo || dlq.redrives) return undefined;
  const scope = scopeOfContext(ctx);
  try {
    if ((await liveLeasesOnQueue(await getStore(), scope, dlq.name, now)).length > 0) return undefined;
    const newest = newestLetterOf(
      await receiveMessages(dlq.url, { max: PEEK_MAX, visibilitySeconds: 0 }, ctx.aws.clients),
    );
    if (!newest) return undefined;
    const header = tracedHeaderOf(newest);
    const href = messageTraceHref(dlq.name, newest.messageId, header);
    const letter: NewestLetter = {
      messageId: newest.messageId,
      ...(href ? { traceLink: `${baseUrl}${scopedPagePath(scope, href)}` } : {}),
    };
    if (!header) return letter;
    try {
      const { story } = await getMessageStory(ctx, { header, dlq: dlq.name, messageId: newest.messageId });
      const firstError = firstErrorOf(failedAttemptsOf(story));
      return firstError !== undefined ? { ...letter, firstError } : letter;
    } catch (err) {
      console.warn(`[alerts] reading the story of ${newest.messageId} in ${dlq.name} failed:`, err);
      return letter;
    }
  } catch (err) {
    console.warn(`[alerts] peeking ${dlq.name} for its newest dead letter failed:`, err);
    return undefined;
  }
}
