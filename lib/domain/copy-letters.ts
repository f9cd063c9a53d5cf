import { MASK, type DeadLetterMessage, type ReceivedMessage, type SqsAttributeValue } from "./dead-letter-message";
import { scopeKey, type Scope } from "./scope";

/**
 * Copying dead letters from one environment's DLQ into a queue of another (production's letters
 * into staging, to test a fix). Pure: what is sent for each letter, and why a letter is not sent.
 * The sending itself follows the replay's rules (lib/domain/replay.ts buildReplayEntry, chunkEntries).
 */

/** Where a copy goes: a queue of an environment in one of its regions. */
export interface CopyTarget extends Scope {
  queue: string;
}

/** What became of one requested letter. */
export type CopyOutcome =
  | { messageId: string; outcome: "copied" | "moved"; copyMessageId: string; masked: string[] }
  /** Sent, but the original could not be deleted (move): it is still in the DLQ and in the lease. */
  | { messageId: string; outcome: "copied-not-deleted"; copyMessageId: string; masked: string[]; reason: string }
  | { messageId: string; outcome: "failed" | "not-leased"; reason: string };

export interface CopySummary {
  copied: number;
  moved: number;
  failed: number;
  notLeased: number;
}

/** Counts per outcome; a copy whose original could not be deleted counts as copied (it was sent). */
export function summarizeCopy(outcomes: CopyOutcome[]): CopySummary {
  const count = (...kinds: CopyOutcome["outcome"][]) => outcomes.filter((o) => kinds.includes(o.outcome)).length;
  return {
    copied: count("copied", "copied-not-deleted"),
    moved: count("moved"),
    failed: count("failed"),
    notLeased: count("not-leased"),
  };
}

/**
 * Why a copy into `target` is refused before anything is sent, or undefined. Within the same
 * environment and region a copy is a replay to another queue, which has its own rules (only an
 * admin may send a DLQ's letters to a queue that is not its source): it is not a back door to it.
 */
export function copyTargetProblem(source: Scope, target: CopyTarget): string | undefined {
  if (scopeKey(source) === scopeKey(target))
    return `${target.queue} is in ${scopeKey(target)}, the dead-letter queue's own environment and region: use Replay to send letters within one environment`;
  return undefined;
}

/**
 * The message a copy sends: the letter as the reader was shown it, masked by the SOURCE
 * environment's rules. A masked value is sent as the mask (`••••`), never in the clear: the target
 * may be an environment with wider access (staging), and the mask rules exist so that those values
 * never leave the console's view of the source; export does the same. A masked binary attribute
 * becomes a String attribute holding the mask, because the mask is not base64 (SQS Developer Guide,
 * "Amazon SQS message attributes": Binary values are bytes). A payload the masking rules could not
 * be applied to (not JSON) was shown as a placeholder: it is not copied at all, since a copy of the
 * placeholder tests nothing and a copy of the original would carry what the rules hide.
 *
 * The AWSTraceHeader is left out: it names a trace in the source account's X-Ray, which the target
 * account cannot read, so the target's consumer would join a trace nobody there can see.
 */
export function copyableMessage(
  original: ReceivedMessage,
  shown: DeadLetterMessage,
): { ok: true; message: ReceivedMessage; masked: string[] } | { ok: false; reason: string } {
  if (shown.withheld)
    return {
      ok: false,
      reason:
        `its ${shown.withheld.part === "body" ? "body" : "SNS message"} is ${shown.withheld.reason}, so the source's ` +
        `masking rules cannot be applied to it: it is not copied (export it instead)`,
    };
  const messageAttributes: Record<string, SqsAttributeValue> = {};
  for (const [name, a] of Object.entries(shown.attributes))
    messageAttributes[name] = a.binaryValue === MASK ? { dataType: "String", stringValue: MASK } : { ...a };
  const attributes = { ...original.attributes };
  delete attributes.AWSTraceHeader;
  return {
    ok: true,
    message: { ...original, body: shown.body, messageAttributes, attributes },
    masked: shown.masked,
  };
}

/**
 * Why a letter cannot go to the target queue, or undefined. A FIFO queue requires a
 * MessageGroupId on every message (SQS API Reference, SendMessage, MessageGroupId: "required for
 * FIFO queues"): a letter of a standard DLQ has none, and Fanout does not invent an order for it.
 */
export function letterProblem(letter: ReceivedMessage, targetFifo: boolean): string | undefined {
  if (targetFifo && !letter.attributes.MessageGroupId)
    return "it has no MessageGroupId (it comes from a standard queue), which the FIFO target requires";
  return undefined;
}
