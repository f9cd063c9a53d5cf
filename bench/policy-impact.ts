/**
 * `npm run -s bench:policy-impact`: the impact of a filter-policy change over 10,000 recent events,
 * as the editor asks for it on every settled edit (lib/domain/filter-policy/impact.ts topicImpact):
 * the subscription's current and draft policies, and the current policies of four other
 * subscriptions of the topic, two of them on the body. Events are generated with a fixed seed, like
 * an orders topic's: attributes and a JSON body, some bodies malformed. Prints one JSON object,
 * { events, subscriptions, ms, cpuMs }: the fastest of several runs, in wall-clock and in CPU time
 * (which a machine shared with other work inflates less), and fails (exit 1) above 200 ms.
 */
import { compileFilterPolicy, type CompiledPolicy, type FilterPolicyScope } from "../lib/domain/filter-policy";
import { topicImpact, type ImpactEvent } from "../lib/domain/filter-policy/impact";
import { random } from "../test/filter-policy-messages";

const eventCount = 10_000;
const runs = 9;
const budgetMs = 200;

function compile(policy: unknown, scope: FilterPolicyScope = "MessageAttributes"): CompiledPolicy {
  const compiled = compileFilterPolicy(policy, scope);
  if (!compiled.ok) throw new Error(`policy rejected: ${compiled.error.reason}`);
  return compiled.policy;
}

const types = ["order.placed", "order.paid", "order.cancelled", "order.shipped", "refund.issued", "audit.read"];
const regions = ["eu", "us", "ap"];

function events(): ImpactEvent[] {
  const r = random(21);
  return Array.from({ length: eventCount }, (_, i) => {
    const type = r.pick(types);
    const region = r.pick(regions);
    const amount = Math.round(r.next() * 50_000) / 100;
    const body =
      r.next() < 0.02
        ? `{"type": "${type}", "truncated`
        : JSON.stringify({
            type,
            orderId: `ord-${i}`,
            customer: { region, tier: r.pick(["gold", "silver", "basic"]) },
            lines: [{ sku: `sku-${i % 97}`, quantity: 1 + (i % 4) }],
            total: amount,
          });
    return {
      id: `m-${i}`,
      body,
      attributes: {
        eventType: { Type: "String", Value: type },
        region: { Type: "String", Value: region },
        amount: { Type: "Number", Value: String(amount) },
        tags: { Type: "String.Array", Value: JSON.stringify(["web", r.pick(["promo", "gift", "b2b"])]) },
      },
    };
  });
}

const current = compile({ eventType: [{ prefix: "order." }], region: ["eu", "us"] });
const draft = compile({ eventType: ["order.placed", "order.paid"], amount: [{ numeric: [">=", 20] }] });
const others = [
  compile({ eventType: [{ prefix: "refund." }] }),
  compile({ tags: ["b2b"], region: [{ "anything-but": ["ap"] }] }),
  compile({ customer: { tier: ["gold"] }, total: [{ numeric: [">", 400] }] }, "MessageBody"),
  compile({ type: ["order.shipped"], lines: { sku: [{ prefix: "sku-1" }] } }, "MessageBody"),
];

const sample = events();
const wall: number[] = [];
const cpu: number[] = [];
let result: ReturnType<typeof topicImpact> | undefined;
for (let i = 0; i < runs; i++) {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  result = topicImpact(current, draft, others, sample);
  wall.push(performance.now() - started);
  const used = process.cpuUsage(cpuBefore);
  cpu.push((used.user + used.system) / 1000);
}
// The fastest run: a busy machine only ever slows a run down.
const round = (n: number) => Math.round(n * 10) / 10;
const ms = round(Math.min(...wall));
const cpuMs = round(Math.min(...cpu));
// A run whose answer is empty measured nothing: the policies must split the events.
if (!result || result.newlyDropped.count === 0 || result.topic.reachNoSubscriber.count === 0) {
  console.error("the generated events do not exercise the impact");
  process.exit(1);
}
console.log(JSON.stringify({ events: sample.length, subscriptions: 1 + others.length, ms, cpuMs }));
if (ms > budgetMs) {
  console.error(`the impact over ${sample.length} events took ${ms} ms, above ${budgetMs} ms`);
  process.exit(1);
}
