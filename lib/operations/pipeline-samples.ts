import "server-only";
import { processSingleton } from "../process-singleton";
import { AppError } from "../domain/app-error";
import {
  decodeMessage,
  maskMessage,
  maskPublished,
  toFilterMessage,
  type DeadLetterMessage,
  type ReceivedMessage,
} from "../domain/dead-letter-message";
import type { SampleMessage } from "../domain/filter-policy/samples";
import type { MessageAttribute } from "../domain/filter-policy/types";
import { arnName, type Subscription } from "../domain/subscription";
import { getSubscriptionOrThrow } from "../aws/sns";
import { deleteMessages, describeQueue, getQueueUrl, receiveMessages, setVisibility } from "../aws/sqs";
import { addRecentEvents, getStore, listRecentEvents } from "../store";
import { scopeOfContext, type OperationContext } from "./context";

/**
 * Real messages to test a filter policy with: dead letters of the subscription, and recent events
 * the pipeline published. Both are what was published to the topic (the SNS envelope's message
 * and attributes, or the raw body and attributes), masked like everything the console shows.
 */

export interface PipelineSamples {
  samples: SampleMessage[];
  /** Why there are none, or what to know about them. */
  notes: string[];
}

/** What was published, as the test panel takes it: payload text and SNS message attributes. */
function asPublished(d: DeadLetterMessage): { body: string; attributes: Record<string, MessageAttribute> } {
  const body = toFilterMessage(d, "MessageBody");
  const attributes = toFilterMessage(d, "MessageAttributes");
  return {
    body: "body" in body ? body.body : d.body,
    attributes: "attributes" in attributes ? attributes.attributes : {},
  };
}

const decodeMasked = (ctx: OperationContext, m: ReceivedMessage) =>
  maskMessage(decodeMessage(m, { retentionSeconds: 0, fifo: false }), ctx.settings.mask);

/**
 * A received message as it was published (payload text and SNS message attributes), unmasked: for
 * evaluating a policy on what SNS saw; whoever shows it masks it (maskPublished).
 */
export const publishedOf = (m: ReceivedMessage) => asPublished(decodeMessage(m, { retentionSeconds: 0, fifo: false }));

/**
 * The dead-letter queues of a subscription, as ARNs: its own DLQ (deliveries SNS could not make)
 * and the DLQ of its queue (messages the consumer failed).
 */
export async function subscriptionDeadLetterQueues(
  ctx: OperationContext,
  subscription: Subscription,
): Promise<string[]> {
  const dlqArns: string[] = [];
  if (subscription.deadLetterTargetArn) dlqArns.push(subscription.deadLetterTargetArn);
  if (subscription.protocol === "sqs") {
    const queue = await describeQueue(arnName(subscription.endpoint), ctx.aws.clients).catch(() => undefined);
    if (queue?.redrivePolicy) dlqArns.push(queue.redrivePolicy.deadLetterTargetArn);
  }
  return dlqArns;
}

/** Receives a few messages and makes them visible again at once; only for queues without a redrive policy. */
async function glance(ctx: OperationContext, queueUrl: string, max: number): Promise<ReceivedMessage[]> {
  const seen = new Map<string, ReceivedMessage>();
  for (let empty = 0; seen.size < max && empty < 1;) {
    const batch = await receiveMessages(
      queueUrl,
      {
        max: Math.min(10, max - seen.size),
        visibilitySeconds: 30,
        waitSeconds: 0,
      },
      ctx.aws.clients,
    );
    const fresh = batch.filter((m) => !seen.has(m.messageId));
    for (const m of batch) seen.set(m.messageId, m);
    empty = fresh.length ? 0 : empty + 1;
  }
  const all = [...seen.values()];
  await setVisibility(
    queueUrl,
    all.map((m) => m.receiptHandle),
    0,
    ctx.aws.clients,
  ).catch(() => undefined);
  return all;
}

/**
 * Dead letters of a subscription: its own DLQ (deliveries SNS could not make) and the DLQ of its
 * queue (messages the consumer failed). Each is read briefly and released at once.
 */
export async function deadLetterSamples(ctx: OperationContext, arn: string, max = 20): Promise<PipelineSamples> {
  const { clients } = ctx.aws;
  const subscription = await getSubscriptionOrThrow(arn, clients);
  const dlqArns = await subscriptionDeadLetterQueues(ctx, subscription);
  const notes: string[] = [];
  if (dlqArns.length === 0)
    return { samples: [], notes: ["This subscription and its queue have no dead-letter queue."] };
  const samples: SampleMessage[] = [];
  for (const dlqArn of dlqArns) {
    const dlq = await describeQueue(arnName(dlqArn), clients);
    if (dlq.redrivePolicy) {
      // Reading a queue with its own redrive policy counts toward its maxReceiveCount.
      notes.push(`${dlq.name} has a redrive policy of its own; it is not read here.`);
      continue;
    }
    for (const m of await glance(ctx, dlq.url, max)) {
      const d = decodeMasked(ctx, m);
      samples.push({
        name: `${dlq.name} · ${m.messageId.slice(0, 8)}${d.system.sentAt ? ` · ${d.system.sentAt}` : ""}`,
        ...asPublished(d),
      });
    }
  }
  if (samples.length === 0) notes.push(`No dead letters in ${dlqArns.map(arnName).join(" or ")} right now.`);
  return { samples, notes };
}

/** The latest events the topic published, as the tap reader kept them. */
export async function recentEventSamples(ctx: OperationContext, arn: string, max = 50): Promise<PipelineSamples> {
  const subscription = await getSubscriptionOrThrow(arn, ctx.aws.clients);
  const tap = ctx.settings.tapQueue;
  if (!tap)
    return {
      samples: [],
      notes: [
        "No tap queue is configured (FANOUT_TAP_QUEUE): AWS keeps no list of what a topic published, so the console has none either.",
      ],
    };
  ensureTapReader(ctx);
  const events = await listRecentEvents(await getStore(), scopeOfContext(ctx), subscription.topicArn, max);
  // Masked again as served: a rule added since an event was stored applies to it too.
  const rules = ctx.settings.mask;
  return {
    samples: events.map((e) => {
      const { body, attributes } = maskPublished({ body: e.body, attributes: e.attributes }, rules);
      return { name: `${e.publishedAt ?? e.receivedAt} · ${e.messageId.slice(0, 8)}`, body, attributes };
    }),
    notes: events.length
      ? []
      : [`Nothing from ${arnName(subscription.topicArn)} has reached the tap queue ${tap} yet.`],
  };
}

/**
 * Reads the tap queue once: keeps each SNS envelope's event (masked) and deletes what it read, so
 * the tap stays shallow. Returns how many messages it read.
 */
export async function readTapOnce(ctx: OperationContext, waitSeconds = 0): Promise<number> {
  const tap = ctx.settings.tapQueue;
  if (!tap) return 0;
  const url = await getQueueUrl(tap, ctx.aws.clients);
  const messages = await receiveMessages(url, { max: 10, visibilitySeconds: 30, waitSeconds }, ctx.aws.clients);
  if (messages.length === 0) return 0;
  const events = messages.flatMap((m) => {
    const d = decodeMasked(ctx, m);
    // Raw delivery drops the envelope and with it the topic: such a tap cannot say where an event came from.
    if (!d.sns?.topicArn) return [];
    return [
      {
        messageId: d.sns.messageId ?? m.messageId,
        topicArn: d.sns.topicArn,
        ...(d.sns.timestamp ? { publishedAt: d.sns.timestamp } : {}),
        ...asPublished(d),
      },
    ];
  });
  await addRecentEvents(await getStore(), scopeOfContext(ctx), events);
  await deleteMessages(url, messages, ctx.aws.clients);
  return messages.length;
}

/** The environments whose tap queue a reader drains; a reader taken out of it stops after its current read. */
const tapReaders = processSingleton("tap", () => ({ running: new Set<string>(), ledByBackground: false }));

/**
 * Keeps draining the context's tap queue in the background (long polls), backing off while AWS
 * fails. Where the background work runs (a server), only the leader replica reads the taps, all of
 * them (readTapsAsLeader), and a request starts nothing; elsewhere (tests, scripts) a request starts
 * its environment's reader as before.
 */
export function ensureTapReader(ctx: OperationContext): void {
  if (!tapReaders.ledByBackground) startTapReader(ctx);
}

/** The leader's part: a reader for every scope's tap queue. */
export function readTapsAsLeader(contexts: OperationContext[]): void {
  tapReaders.ledByBackground = true;
  for (const ctx of contexts) startTapReader(ctx);
}

/** Stops every tap reader of this process (leadership lost, or shutdown). */
export function stopTapReaders(): void {
  tapReaders.ledByBackground = true;
  tapReaders.running.clear();
}

function startTapReader(ctx: OperationContext): void {
  const tap = ctx.settings.tapQueue;
  const reader = `${ctx.aws.key}|${tap}`;
  if (!tap || tapReaders.running.has(reader)) return;
  tapReaders.running.add(reader);
  void (async () => {
    let backoffMs = 1_000;
    while (tapReaders.running.has(reader)) {
      try {
        await readTapOnce(ctx, 10);
        backoffMs = 1_000;
      } catch (err) {
        if (backoffMs === 1_000)
          console.error(`[tap] reading ${tap} failed: ${err instanceof AppError ? err.message : String(err)}`);
        await new Promise((r) => setTimeout(r, backoffMs));
        backoffMs = Math.min(backoffMs * 2, 60_000);
      }
    }
  })();
}
