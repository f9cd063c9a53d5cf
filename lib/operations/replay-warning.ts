import "server-only";
import { AppError } from "../domain/app-error";
import { mapWithConcurrency } from "../aws/concurrency";
import { getFunctionCode } from "../aws/lambda";
import { getQueueUrl, queueDepth, receiveMessages } from "../aws/sqs";
import type { ReceivedMessage } from "../domain/dead-letter-message";
import { failedAttemptsOf, type FailedAttempt } from "../domain/failure-groups";
import {
  letterVerdict,
  replayWarning,
  REPLAY_WARNING_SAMPLE,
  type ConsumerCode,
  type ReplayWarning,
} from "../domain/replay-warning";
import { parseTraceHeader } from "../domain/traces";
import type { OperationContext } from "./context";
import { leasedMessages } from "./dead-letter-browse";
import { getMessageStory } from "./traces";

/** What the check found: the warning if any, how many letters it could read, and why it could not. */
export interface ReplayCheck {
  warning: ReplayWarning | null;
  /** Letters in the replay, and of those the ones whose story the check read. */
  total: number;
  sampled: number;
  /** Set when X-Ray or Lambda did not answer: no warning is then no all-clear. */
  unavailable?: string;
}

/**
 * Whether replaying these dead letters would only fail again: the stories of up to
 * REPLAY_WARNING_SAMPLE traced letters (their failed attempts) and the current code of the functions
 * that failed on them. Letters without a trace header cannot be judged and are not sampled.
 */
export async function checkReplay(
  ctx: OperationContext,
  dlqName: string,
  readLetters: () => ReceivedMessage[] | Promise<ReceivedMessage[]>,
  total?: number,
): Promise<ReplayCheck> {
  let letters: ReceivedMessage[] = [];
  try {
    letters = await readLetters();
    const traced = letters
      .filter((m) => {
        const header = m.attributes.AWSTraceHeader;
        return header !== undefined && parseTraceHeader(header)?.sampled !== false;
      })
      .slice(0, REPLAY_WARNING_SAMPLE);
    if (traced.length === 0) return { warning: null, total: total ?? letters.length, sampled: 0 };
    const attempts = await mapWithConcurrency(traced, 2, async (m): Promise<FailedAttempt[]> => {
      const { story } = await getMessageStory(ctx, {
        header: m.attributes.AWSTraceHeader!,
        dlq: dlqName,
        messageId: m.messageId,
      });
      return failedAttemptsOf(story);
    });
    const functions = [...new Set(attempts.flat().map((a) => a.functionName))];
    const codes = new Map<string, ConsumerCode>();
    // A function deleted since is no verdict; Lambda not answering leaves the whole check unavailable.
    const read = await mapWithConcurrency(functions, 4, (fn) =>
      getFunctionCode(fn, ctx.aws.clients).catch((err: unknown) => {
        if (err instanceof AppError && err.code === "not_found") return undefined;
        throw err;
      }),
    );
    for (const code of read) if (code) codes.set(code.functionName, code);
    const codeOf = (fn: string) => codes.get(fn);
    const all = total ?? letters.length;
    const warning = replayWarning(
      attempts.map((a) => letterVerdict(a, codeOf)),
      all,
      codeOf,
    );
    return { warning: warning ?? null, total: all, sampled: traced.length };
  } catch (err) {
    // The check informs; it never stands in the way of a replay.
    return {
      warning: null,
      total: total ?? letters.length,
      sampled: 0,
      unavailable: err instanceof Error ? err.message : String(err),
    };
  }
}

/** Letters a peek reads when the requester's view holds none: one receive of up to 10. */
const PEEK_MAX = 10;

/**
 * The letters to judge for a replay of a whole DLQ: those of the requester's view, else, on a
 * standard queue, a peek of a few (ReceiveMessage with VisibilityTimeout 0: they stay visible to the
 * job and to everyone else). A FIFO queue is never peeked: a receive holds the message's group, and
 * moto 5.2.3 then hands the group out of order (docs/local-aws.md); FIFO order is not ours to risk.
 */
export async function lettersOfQueue(
  ctx: OperationContext,
  dlq: { name: string; url: string; fifo: boolean },
): Promise<ReceivedMessage[]> {
  const viewed = await leasedMessages(ctx, dlq.name);
  if (viewed.length > 0 || dlq.fifo) return viewed;
  return receiveMessages(dlq.url, { max: PEEK_MAX, visibilitySeconds: 0 }, ctx.aws.clients);
}

/**
 * The check for a replay this user is about to start (`POST /api/queues/{name}/replay-check`): the
 * given letters of their view, or the whole queue.
 */
export async function checkReplayOfView(
  ctx: OperationContext,
  dlqName: string,
  messageIds?: string[],
): Promise<ReplayCheck> {
  if (messageIds) return checkReplay(ctx, dlqName, () => leasedMessages(ctx, dlqName, messageIds), messageIds.length);
  const url = await getQueueUrl(dlqName, ctx.aws.clients);
  const depth = await queueDepth(url, ctx.aws.clients);
  return checkReplay(
    ctx,
    dlqName,
    () => lettersOfQueue(ctx, { name: dlqName, url, fifo: dlqName.endsWith(".fifo") }),
    depth.visible + depth.inFlight + depth.delayed,
  );
}
