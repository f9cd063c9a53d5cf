import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { CreateTopicCommand } from "@aws-sdk/client-sns";
import { checkSubscriptionArn } from "../api/params";
import { getSubscriptionOrThrow } from "../aws/sns";
import { getStore, listAudit } from "../store";
import {
  filterPolicyHistory,
  rollbackFilterPolicy,
  routeMessage,
  saveFilterPolicy,
  testFilterPolicy,
} from "./filter-policy";
import { appErrorOf } from "../../test/app-error";
import { contextAs } from "../../test/context";
import { subscribeQueue } from "../../test/queues";

const actor = contextAs("otto", "operator", { requestId: "req-1" });
const original = '{"eventType":["order.placed"]}';
let topicArn: string;
let arn: string;
let bodyArn: string;

beforeAll(async () => {
  const { sns } = actor.aws.clients;
  const name = `fp-${randomUUID().slice(0, 8)}`;
  topicArn = (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn!;
  const subscribe = (queue: string, attributes: Record<string, string>) =>
    subscribeQueue(actor.aws.clients, topicArn, `${name}-${queue}`, attributes);
  arn = await subscribe("inventory", { FilterPolicy: original, RawMessageDelivery: "true" });
  bodyArn = await subscribe("notify", { FilterPolicy: '{"type":["order.shipped"]}', FilterPolicyScope: "MessageBody" });
  await subscribe("audit", {});
});

describe("filter-policy changes against moto", () => {
  const expectedOriginal = { policy: original, scope: "MessageAttributes" as const };
  const updated = { eventType: ["order.placed", "order.cancelled"], amount: [{ numeric: [">", 100] }] };
  /** The change the first test makes, and the second one retries. */
  const update = { policy: updated, scope: "MessageAttributes" as const, expected: expectedOriginal };

  it("saves a policy, reads it back, audits it and keeps the one it replaced", async () => {
    const result = await saveFilterPolicy(actor, arn, update);
    expect(result.changed).toBe(true);
    expect(JSON.parse(result.subscription.filterPolicy!)).toEqual(updated);
    expect(JSON.parse((await getSubscriptionOrThrow(arn, actor.aws.clients)).filterPolicy!)).toEqual(updated);

    const history = await filterPolicyHistory(actor, arn);
    expect(history.map((v) => v.actor)).toEqual(["otto", "(found on AWS)"]);
    expect(history[1]!.policy).toBe(original);

    // Newest first: the outcome, after the intent written before SNS was asked.
    const [entry, intent] = await listAudit(await getStore(), { target: arn });
    expect(entry).toMatchObject({
      actor: "otto",
      role: "operator",
      action: "filter-policy.update",
      outcome: "success",
      requestId: "req-1",
    });
    expect(intent).toMatchObject({
      action: "filter-policy.update",
      outcome: "pending",
      requestId: "req-1",
      after: { policy: updated, scope: "MessageAttributes" },
    });
    expect(entry!.before).toEqual({ policy: JSON.parse(original), scope: "MessageAttributes" });
    expect(entry!.after).toEqual({ policy: updated, scope: "MessageAttributes" });
  });

  it("treats a retry of the same change as done, without a second version", async () => {
    const retry = await saveFilterPolicy(actor, arn, update);
    expect(retry.changed).toBe(false);
    expect(await filterPolicyHistory(actor, arn)).toHaveLength(2);
  });

  it("refuses to overwrite a change made meanwhile, and returns the live policy", async () => {
    const err = await appErrorOf(
      saveFilterPolicy(actor, arn, {
        policy: { eventType: ["order.paid"] },
        scope: "MessageAttributes",
        expected: expectedOriginal,
      }),
    );
    expect(err.status).toBe(409);
    expect(JSON.parse((err.details!.live as { policy: string }).policy)).toEqual(updated);
    expect(JSON.parse((await getSubscriptionOrThrow(arn, actor.aws.clients)).filterPolicy!)).toEqual(updated);
  });

  it.each([
    ["an unknown operator", { eventType: [{ "starts-with": "order" }] }, /Unrecognized match type starts-with/],
    ["a non-numeric comparison", { amount: [{ numeric: [">", "x"] }] }, /Value of > must be numeric/],
    ["nesting in MessageAttributes scope", { customer: { tier: ["gold"] } }, /./],
  ])("rejects %s with AWS's reason and the path, before any AWS call", async (_label, policy, reason) => {
    const before = (await getSubscriptionOrThrow(arn, actor.aws.clients)).filterPolicy;
    const err = await appErrorOf(
      saveFilterPolicy(actor, arn, {
        policy,
        scope: "MessageAttributes",
        expected: { policy: before, scope: "MessageAttributes" },
      }),
    );
    expect(err.status).toBe(422);
    expect(err.message).toMatch(reason);
    expect(err.issues?.[0]?.path).toMatch(/^policy/);
    expect((await getSubscriptionOrThrow(arn, actor.aws.clients)).filterPolicy).toBe(before);
  });

  it("rolls back to the policy as found, as a new version", async () => {
    const found = (await filterPolicyHistory(actor, arn)).find((v) => v.actor === "(found on AWS)")!;
    const live = await getSubscriptionOrThrow(arn, actor.aws.clients);
    const result = await rollbackFilterPolicy(actor, arn, {
      versionId: found.id,
      expected: { policy: live.filterPolicy, scope: live.filterPolicyScope },
    });
    expect(result.changed).toBe(true);
    expect(JSON.parse((await getSubscriptionOrThrow(arn, actor.aws.clients)).filterPolicy!)).toEqual(
      JSON.parse(original),
    );
    expect((await filterPolicyHistory(actor, arn))[0]).toMatchObject({ note: `rollback to version ${found.id}` });
    expect(
      await listAudit(await getStore(), { target: arn, action: "filter-policy.rollback", outcome: "success" }),
    ).toHaveLength(1);
  });

  it("removes a policy only when told to explicitly", async () => {
    const live = { policy: original, scope: "MessageAttributes" as const };
    const refused = await appErrorOf(
      saveFilterPolicy(actor, arn, { policy: null, scope: "MessageAttributes", expected: live }),
    );
    expect(refused.status).toBe(422);
    const removed = await saveFilterPolicy(actor, arn, {
      policy: null,
      scope: "MessageAttributes",
      expected: live,
      removePolicy: true,
    });
    expect(removed.subscription.filterPolicy).toBeNull();
    expect(
      await listAudit(await getStore(), { target: arn, action: "filter-policy.remove", outcome: "success" }),
    ).toHaveLength(1);
  });

  it("refuses a malformed or foreign-region ARN before any AWS call", async () => {
    // The routes check the ARN in their path with these (withSession's params schema).
    expect((await appErrorOf(checkSubscriptionArn(actor, "not-an-arn"))).status).toBe(422);
    const foreign = arn.replace(":us-east-1:", ":eu-west-1:");
    expect((await appErrorOf(checkSubscriptionArn(actor, foreign))).message).toMatch(/eu-west-1/);
  });

  it("tests a policy against messages without calling AWS", () => {
    const { results } = testFilterPolicy(actor, {
      policy: { eventType: ["order.placed"] },
      scope: "MessageAttributes",
      messages: [
        { attributes: { eventType: { Type: "String", Value: "order.placed" } } },
        { attributes: { eventType: { Type: "String", Value: "order.paid" } } },
      ],
    });
    expect(results.map((r) => r.match)).toEqual([true, false]);
  });

  it("tells which subscriptions of the topic get an event, and why", async () => {
    const { results } = await routeMessage(actor, topicArn, {
      body: JSON.stringify({ type: "order.shipped" }),
      attributes: { eventType: { Type: "String", Value: "order.shipped" } },
    });
    expect(results).toHaveLength(3);
    expect(results.find((r) => r.subscription.arn === bodyArn)).toMatchObject({
      receives: true,
      reason: "its filter policy matches",
    });
    const unfiltered = results.find((r) => r.subscription.filterPolicy === null && r.subscription.arn !== arn)!;
    expect(unfiltered).toMatchObject({ receives: true, reason: "no filter policy: receives every message" });
  });
});
