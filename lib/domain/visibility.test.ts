import { describe, expect, it } from "vitest";
import {
  roleOnEveryResource,
  roleOnResource,
  withKnownTags,
  type Access,
  type Binding,
  type TagsByArn,
} from "./bindings";
import type { MayView } from "./topology";
import { hiddenCount, resourceAt, shownTo, subscriptionAbout, tagsOfNodes, traceAbout, type ArnOf } from "./visibility";

const arnOf: ArnOf = (kind, name) =>
  kind === "function"
    ? `arn:aws:lambda:eu-west-1:111111111111:function:${name}`
    : `arn:aws:${kind === "topic" ? "sns" : "sqs"}:eu-west-1:111111111111:${name}`;
const queueArn = (name: string) => arnOf("queue", name);
const topicArn = (name: string) => arnOf("topic", name);
const bind = (b: Omit<Binding, "from">): Binding => ({ ...b, from: "test" });
/** What lib/operations/resource-access.ts listViewer makes of a caller's bindings: a role on the resource, tags filled in. */
const viewerIn =
  (access: Access, environmentId: string, tags?: TagsByArn): MayView =>
  (resource) =>
    roleOnResource(access, environmentId, withKnownTags(resource, tags)) !== undefined;
const queues = ["orders", "payments-in", "payments-dlq", "shipping"];

describe("a list as the caller may view it", () => {
  it("is the whole list, with no count of what was hidden, without a check (bindings reaching everything)", () => {
    expect(shownTo(queues, (name) => resourceAt(queueArn(name)), undefined)).toEqual({ shown: queues, hidden: 0 });
    expect(hiddenCount(undefined, 0)).toEqual({});
  });

  it("the two-binding case: a viewer of all of production who operates payments-* queues sees every queue", () => {
    const access: Access = {
      bindings: [
        bind({ role: "viewer", environments: ["production"] }),
        bind({ role: "operator", environments: ["production"], resources: ["arn:aws:sqs:*:*:payments-*"] }),
      ],
    };
    // What lets the operations skip the check, and the check agrees.
    expect(roleOnEveryResource(access, "production")).toBe("viewer");
    const mayView = viewerIn(access, "production");
    expect(shownTo(queues, (name) => resourceAt(queueArn(name)), mayView)).toEqual({ shown: queues, hidden: 0 });
    // In staging, where neither binding is, nothing at all.
    expect(shownTo(queues, (name) => resourceAt(queueArn(name)), viewerIn(access, "staging"))).toEqual({
      shown: [],
      hidden: 4,
    });
  });

  it("an operator of payments-* queues alone sees those, and is told how many others there are", () => {
    const mayView = viewerIn(
      {
        bindings: [bind({ role: "operator", environments: ["production"], resources: ["arn:aws:sqs:*:*:payments-*"] })],
      },
      "production",
    );
    const { shown, hidden } = shownTo(queues, (name) => resourceAt(queueArn(name)), mayView);
    expect(shown).toEqual(["payments-in", "payments-dlq"]);
    expect(hidden).toBe(2);
    expect(hiddenCount(mayView, hidden)).toEqual({ hidden: 2 });
    // A topic of the same name is not a queue.
    expect(mayView({ arns: [topicArn("payments-in")] })).toBe(false);
  });

  it("a tag binding decides with the tags read for the resource's ARN, and hides what has none known", () => {
    const mayView = viewerIn(
      { bindings: [bind({ role: "viewer", environments: ["*"], tags: { team: "payments" } })] },
      "production",
      new Map<string, Record<string, string>>([
        [queueArn("payments-in"), { team: "payments", tier: "1" }],
        [queueArn("orders"), { team: "orders" }],
      ]),
    );
    const { shown, hidden } = shownTo(queues, (name) => resourceAt(queueArn(name)), mayView);
    expect(shown).toEqual(["payments-in"]);
    expect(hidden).toBe(3);
    // A subscription takes its queue's tags: the team sees what feeds its queue.
    const feeding = { arn: `${topicArn("events")}:0f1e`, endpoint: queueArn("payments-in") };
    const elsewhere = { arn: `${topicArn("events")}:9a8b`, endpoint: "https://hooks.example.com/x" };
    expect(shownTo([feeding, elsewhere], subscriptionAbout, mayView).shown).toEqual([feeding]);
  });
});

describe("withKnownTags", () => {
  it("keeps a resource's own tags, else takes those known for the first of its ARNs that has some", () => {
    const tags = new Map([[queueArn("q"), { team: "a" }]]);
    expect(withKnownTags({ arns: [queueArn("q")], tags: { team: "b" } }, tags).tags).toEqual({ team: "b" });
    expect(withKnownTags({ arns: ["arn:aws:sns:x", queueArn("q")] }, tags).tags).toEqual({ team: "a" });
    expect(withKnownTags({ arns: [queueArn("other")] }, tags)).toEqual({ arns: [queueArn("other")] });
    expect(withKnownTags({ arns: [queueArn("q")] }, undefined)).toEqual({ arns: [queueArn("q")] });
  });

  it("are read from the topology's nodes that carry some", () => {
    const tags = tagsOfNodes([{ arn: queueArn("q"), tags: { team: "a" } }, { arn: queueArn("bare") }]);
    expect([...tags]).toEqual([[queueArn("q"), { team: "a" }]]);
  });
});

describe("traces", () => {
  const trace = (...resources: { kind: "topic" | "queue" | "function"; name: string; arn?: string }[]) => ({
    resources,
  });
  const mayView = viewerIn(
    {
      bindings: [
        bind({
          role: "viewer",
          environments: ["production"],
          resources: ["arn:aws:sqs:*:*:payments-*", "arn:aws:lambda:*:*:function:payments-*"],
        }),
      ],
    },
    "production",
  );

  it("a trace is shown when one of its topics, queues or functions is within the bindings, hidden when all are outside", () => {
    const published = trace({ kind: "topic", name: "orders", arn: topicArn("orders") });
    // A function named by its segment only is taken to be the environment's own.
    const consumed = trace(
      { kind: "topic", name: "orders", arn: topicArn("orders") },
      { kind: "function", name: "payments-handler" },
    );
    const viaQueue = trace({ kind: "queue", name: "payments-in" });
    const nothingNamed = trace();
    const { shown, hidden } = shownTo(
      [published, consumed, viaQueue, nothingNamed],
      (item) => traceAbout(item, arnOf),
      mayView,
    );
    expect(shown).toEqual([consumed, viaQueue]);
    expect(hidden).toBe(2);
    expect(traceAbout(consumed, arnOf)[1]).toEqual({
      arns: ["arn:aws:lambda:eu-west-1:111111111111:function:payments-handler"],
    });
  });
});
