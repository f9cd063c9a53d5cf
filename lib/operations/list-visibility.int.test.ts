import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateTopicCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import type { BindingSpec } from "../domain/bindings";
import { loadConfig, type Config } from "../env";
import { actorIn, contextFromConfig } from "../request-context";
import { contextsOfEveryScope } from "../scope-contexts";
import { forgetSharedResults } from "../shared-result";
import { createRedriveJob, getStore } from "../store";
import { userWith } from "../../test/context";
import { startFaultProxy, type FaultProxy } from "../../test/fault-proxy";
import { queueArn, sendLetters } from "../../test/queues";
import { orderTraces, putSegments } from "../../test/trace-fixtures";
import type { OperationContext } from "./context";
import { deadLetterOverview } from "./dead-letters";
import { accountQueues, accountSubscriptions, accountTopics } from "./endpoint";
import { getIncidents } from "./incidents";
import { getOverview } from "./overview";
import { listJobs } from "./redrive";
import { listTraces } from "./traces";

/**
 * The lists through the operations on the suite's moto, for callers whose role bindings reach some
 * resources only: each sees what its bindings reach and is told how many others there are; a
 * caller whose bindings reach every resource gets the list as before. In a region no other test
 * file uses, behind a proxy that counts the calls, so that the lists hold this file's resources alone.
 */

const prefix = `lv-${randomUUID().slice(0, 8)}`;
const REGION = "ca-central-1";
const scope = { environment: "production", region: REGION };
const traces = orderTraces();
let proxy: FaultProxy;
let config: Config;
/** The console's own context: no bindings, every resource. */
let console_: OperationContext;

/** A context for a user with these bindings in production, as the route wrapper builds one. */
function contextOf(name: string, bindings: BindingSpec[]): OperationContext {
  const actor = actorIn(userWith(config, { name, bindings }), config.environments[0]!);
  return contextFromConfig(config, actor!, randomUUID(), scope);
}

const sqsPattern = (what: string) => `arn:aws:sqs:*:*:${prefix}-${what}-*`;
/** Operates the payments queues, sees nothing else. */
const payments = () =>
  contextOf("pat", [{ role: "operator", environments: ["production"], resources: [sqsPattern("pay")] }]);
/** Views what is tagged team=billing. */
const billing = () => contextOf("bea", [{ role: "viewer", environments: ["production"], tags: { team: "billing" } }]);
/** The two-binding case: views all of production, operates the payments queues. */
const twoBindings = () =>
  contextOf("tom", [
    { role: "viewer", environments: ["production"] },
    { role: "operator", environments: ["production"], resources: [sqsPattern("pay")] },
  ]);

const names = (items: { name: string }[]) => items.map((i) => i.name.replace(`${prefix}-`, "")).sort();

beforeAll(async () => {
  proxy = await startFaultProxy(process.env.AWS_ENDPOINT_URL!);
  config = loadConfig({
    ...process.env,
    FANOUT_ENVIRONMENTS: JSON.stringify([
      {
        id: "production",
        name: "Production",
        accountId: "123456789012",
        regions: [REGION],
        kind: "production",
        credentials: { source: "default" },
        endpoint: proxy.url,
      },
    ]),
  });
  console_ = contextFromConfig(config, { name: "fanout", role: "admin" }, randomUUID(), scope);
  const { sqs, sns, xray } = console_.aws.clients;
  const create = async (name: string, extra: { dlqArn?: string; tags?: Record<string, string> } = {}) => {
    const url = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: `${prefix}-${name}`,
          ...(extra.dlqArn
            ? {
                Attributes: {
                  RedrivePolicy: JSON.stringify({ deadLetterTargetArn: extra.dlqArn, maxReceiveCount: 3 }),
                },
              }
            : {}),
          ...(extra.tags ? { tags: extra.tags } : {}),
        }),
      )
    ).QueueUrl!;
    return { url, arn: await queueArn(sqs, url) };
  };
  // Three dead-letter queues holding 1, 2 and 3 letters, each with its source queue; billing's DLQ is tagged.
  const dlqs = {
    pay: await create("pay-dlq"),
    ord: await create("ord-dlq"),
    bill: await create("bill-dlq", { tags: { team: "billing" } }),
  };
  const sources = {
    pay: await create("pay-in", { dlqArn: dlqs.pay.arn }),
    ord: await create("ord-in", { dlqArn: dlqs.ord.arn }),
  };
  await create("bill-in", { dlqArn: dlqs.bill.arn });
  await sendLetters(sqs, dlqs.pay.url, 1);
  await sendLetters(sqs, dlqs.ord.url, 2);
  await sendLetters(sqs, dlqs.bill.url, 3);
  // A topic feeding the payments and orders queues.
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: `${prefix}-events` }))).TopicArn!;
  for (const source of [sources.pay, sources.ord])
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: source.arn }));
  // A running redrive job on each of the payments and orders DLQs.
  for (const which of ["pay", "ord"] as const) {
    const dlq = dlqs[which];
    await createRedriveJob(await getStore(), {
      id: `${prefix}-${which}-job`,
      scope,
      actor: "otto",
      role: "operator",
      requestId: randomUUID(),
      dlq: { name: `${prefix}-${which}-dlq`, url: dlq.url, arn: dlq.arn, fifo: false },
      target: { name: `${prefix}-${which}-in`, url: sources[which].url, arn: sources[which].arn, fifo: false },
      selection: { kind: "all" },
      leaseSeconds: 60,
      engine: "fanout",
    });
  }
  // A message published to a topic and consumed by two functions, each trace on its own.
  await putSegments(xray, traces.producer.segments);
  await putSegments(xray, traces.consume(traces.billing, traces.publishedAt + 1_000, [traces.producer.header]));
  await putSegments(xray, traces.consume(traces.inventory, traces.publishedAt + 800, [traces.producer.header]));
}, 60_000);
afterAll(() => proxy?.close());

describe("lists as a caller bound to some resources sees them", () => {
  it("dead-letter queues: each caller its own, told how many others there are", { timeout: 60_000 }, async () => {
    const pay = await deadLetterOverview(payments());
    expect(names(pay.deadLetterQueues)).toEqual(["pay-dlq"]);
    expect(pay.hidden).toBe(2);
    const tagged = await deadLetterOverview(billing());
    expect(names(tagged.deadLetterQueues)).toEqual(["bill-dlq"]);
    expect(tagged.deadLetterQueues[0]).toMatchObject({ visible: 3 });
    expect(tagged.hidden).toBe(2);
    // The viewer of all of production sees every one, and the answer is the one before bindings: no count.
    const all = await deadLetterOverview(twoBindings());
    expect(names(all.deadLetterQueues)).toEqual(["bill-dlq", "ord-dlq", "pay-dlq"]);
    expect(all).not.toHaveProperty("hidden");
  });

  it(
    "queues, subscriptions and topics: a subscription shows to whoever sees its queue",
    { timeout: 60_000 },
    async () => {
      const pay = payments();
      expect(await accountQueues(pay)).toMatchObject({ hidden: 4 });
      expect(names((await accountQueues(pay)).queues)).toEqual(["pay-dlq", "pay-in"]);
      const subscriptions = await accountSubscriptions(pay);
      expect(subscriptions.subscriptions.map((s) => s.endpoint)).toEqual([
        `arn:aws:sqs:${REGION}:123456789012:${prefix}-pay-in`,
      ]);
      expect(subscriptions.hidden).toBe(1);
      // The topic is no queue of theirs.
      expect(await accountTopics(pay)).toEqual({ topics: [], hidden: 1 });

      expect(names((await accountQueues(billing())).queues)).toEqual(["bill-dlq"]);
      const all = await accountQueues(twoBindings());
      expect(names(all.queues)).toEqual(["bill-dlq", "bill-in", "ord-dlq", "ord-in", "pay-dlq", "pay-in"]);
      expect(all).not.toHaveProperty("hidden");
      expect(await accountTopics(twoBindings())).toEqual(await accountTopics(console_));
    },
  );

  it(
    "tags are read once per environment for every caller bound by tags, and afresh once that read is dropped",
    { timeout: 60_000 },
    async () => {
      forgetSharedResults();
      expect(names((await accountQueues(billing())).queues)).toEqual(["bill-dlq"]);
      // From here on the endpoint would say every queue is billing's: a list that asked again would show them all.
      proxy.setFault({ mode: "answer", answers: { ListQueueTags: { Tags: { team: "billing" } } } });
      const other = contextOf("bob", [{ role: "viewer", environments: ["*"], tags: { team: "billing" } }]);
      expect(names((await accountQueues(other)).queues)).toEqual(["bill-dlq"]);
      expect(names((await deadLetterOverview(billing())).deadLetterQueues)).toEqual(["bill-dlq"]);
      expect(proxy.answered).toEqual([]);
      // Callers whose bindings name no tags never ask for any.
      forgetSharedResults();
      await accountQueues(payments());
      await accountQueues(twoBindings());
      expect(proxy.answered).toEqual([]);
      // Dropped, the tags are read again, one call per queue.
      expect(names((await accountQueues(billing())).queues)).toHaveLength(6);
      expect(proxy.answered.map((a) => a.operation)).toEqual(Array(6).fill("ListQueueTags"));
      proxy.setFault({ mode: "pass" });
      forgetSharedResults();
    },
  );

  it("redrive jobs: a job is its dead-letter queue's", { timeout: 60_000 }, async () => {
    expect((await listJobs(payments())).map((j) => j.id)).toEqual([`${prefix}-pay-job`]);
    expect(await listJobs(payments(), `${prefix}-ord-dlq`)).toEqual([]);
    expect((await listJobs(twoBindings())).map((j) => j.id).sort()).toEqual([`${prefix}-ord-job`, `${prefix}-pay-job`]);
  });

  it(
    "incidents and the overview: what the caller may view, counted as such, with how many incidents were hidden",
    { timeout: 90_000 },
    async () => {
      forgetSharedResults();
      const all = await getIncidents(console_);
      const pay = await getIncidents(payments());
      const titles = pay.incidents.map((i) => i.title);
      expect(titles).toContain(`Dead letters waiting in ${prefix}-pay-dlq`);
      expect(titles.filter((t) => t.includes("-ord-") || t.includes("-bill-"))).toEqual([]);
      expect(all.incidents.map((i) => i.title)).toContain(`Dead letters waiting in ${prefix}-ord-dlq`);
      // The same shared facts, filtered: what one does not see, the other counts as hidden.
      expect(pay.hidden).toBe(all.incidents.length - pay.incidents.length);
      expect(pay.hidden).toBeGreaterThanOrEqual(2);
      expect(all).not.toHaveProperty("hidden");
      // A tag binding decides with the tags the topology read.
      expect((await getIncidents(billing())).incidents.map((i) => i.title)).toContain(
        `Dead letters waiting in ${prefix}-bill-dlq`,
      );

      // The overview as its route asks it: every scope the user is bound in, each summed up for them.
      const pat = userWith(config, {
        name: "pat",
        bindings: [{ role: "operator", environments: ["production"], resources: [sqsPattern("pay")] }],
      });
      const overview = await getOverview(contextsOfEveryScope(config, (e) => actorIn(pat, e), randomUUID()));
      const row = overview.scopes[0]!;
      if (!row.ok) throw new Error(row.reason);
      expect(row.summary.deadLetters).toMatchObject({
        ok: true,
        value: { total: 1, worst: [{ name: `${prefix}-pay-dlq`, depth: 1 }] },
      });
      expect(row.summary.redriveJobs).toEqual({ ok: true, value: { running: 1 } });
      expect(row.summary.hidden).toBe(pay.hidden);
      // End to end counts the orders path too: withheld from them, as on their service levels.
      expect(row.summary).toMatchObject({ endToEndWithheld: true, endToEnd: { ok: false } });
      const counted = row.summary.incidents;
      expect(counted.critical + counted.warning + counted.notice).toBe(pay.incidents.length);

      const whole = (await getOverview([console_])).scopes[0]!;
      if (!whole.ok) throw new Error(whole.reason);
      expect(whole.summary.deadLetters).toMatchObject({ ok: true, value: { total: 6 } });
      expect(whole.summary.redriveJobs).toEqual({ ok: true, value: { running: 2 } });
      expect(whole.summary).not.toHaveProperty("hidden");
      expect(whole.summary.endToEnd.ok).toBe(true);
    },
  );

  it(
    "traces: one shows when a topic, queue or function it names is within the bindings",
    { timeout: 60_000 },
    async () => {
      const everything = await listTraces(console_, { window: "15m", criteria: {} });
      expect(everything.items).toHaveLength(3);
      expect(everything).not.toHaveProperty("hidden");
      const billingFunction = contextOf("fay", [
        { role: "viewer", environments: ["production"], resources: [`arn:aws:lambda:*:*:function:${traces.billing}`] },
      ]);
      const consumed = await listTraces(billingFunction, { window: "15m", criteria: {} });
      expect(consumed.items.map((t) => t.entry?.name)).toEqual([traces.billing]);
      expect(consumed.hidden).toBe(2);
      const topic = contextOf("tim", [
        {
          role: "viewer",
          environments: ["production"],
          resources: [`arn:aws:sns:*:*:${traces.topicArn.split(":")[5]}`],
        },
      ]);
      const published = await listTraces(topic, { window: "15m", criteria: {} });
      expect(published.items.map((t) => t.id)).toEqual([traces.producerId]);
      expect(published.hidden).toBe(2);
    },
  );
});
