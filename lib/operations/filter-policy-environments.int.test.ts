import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { CreateTopicCommand } from "@aws-sdk/client-sns";
import { checkSubscriptionArn } from "../api/params";
import { getSubscriptionOrThrow } from "../aws/sns";
import type { Role } from "../domain/roles";
import { contextForUser } from "../request-context";
import { userWith } from "../../test/context";
import { getStore, listAudit } from "../store";
import { compareFilterPolicy, copyFilterPolicy, filterPolicyHistory, saveFilterPolicy } from "./filter-policy";
import type { OperationContext } from "./context";
import { appErrorOf } from "../../test/app-error";
import { productionAndStagingConfig } from "../../test/environment-fixtures";
import { subscribeQueue } from "../../test/queues";

/**
 * Comparing and copying a policy between two environments on the suite's moto: production (the
 * default account, us-east-1) and staging (222222222222, eu-west-1, reached by sts:AssumeRole), each
 * side acting with the caller's role there.
 */
const environments = (stagingReadOnly = false) =>
  productionAndStagingConfig(inject("awsEndpoint"), { staging: { readOnly: stagingReadOnly } });

type User = { name: string; role: Role; roles?: Record<string, Role> };
/** A viewer in production and an operator in staging. */
const cora: User = { name: "cora", role: "viewer", roles: { staging: "operator" } };
const ada: User = { name: "ada", role: "admin" };

const production = { environment: "production", region: "us-east-1" };
const staging = { environment: "staging", region: "eu-west-1" };
const as = (user: User, scope: typeof production, readOnly = false): OperationContext =>
  contextForUser(
    environments(readOnly),
    userWith(environments(readOnly), user),
    `req-${randomUUID().slice(0, 8)}`,
    scope,
  );

const productionPolicy = { eventType: ["order.placed", "order.paid"], amount: [{ numeric: [">", 100] }] };
const stagingPolicy = '{"eventType":["order.placed"],"region":["eu"]}';
const name = `fpe-${randomUUID().slice(0, 8)}`;
let productionArn: string;
let stagingArn: string;
let loneArn: string;

beforeAll(async () => {
  const subscribe = async (ctx: OperationContext, queue: string, attributes: Record<string, string>) => {
    const topicArn = (await ctx.aws.clients.sns.send(new CreateTopicCommand({ Name: name }))).TopicArn!;
    return subscribeQueue(ctx.aws.clients, topicArn, `${name}-${queue}`, attributes);
  };
  productionArn = await subscribe(as(ada, production), "inventory", { FilterPolicy: JSON.stringify(productionPolicy) });
  loneArn = await subscribe(as(ada, production), "audit", { FilterPolicy: '{"a":["1"]}' });
  stagingArn = await subscribe(as(ada, staging), "inventory", { FilterPolicy: stagingPolicy });
});

describe("comparing a filter policy with another environment", () => {
  it("finds the counterpart by topic and queue name in the other account and region, and diffs the policies", async () => {
    const comparison = await compareFilterPolicy(as(cora, production), productionArn, as(cora, staging));
    expect(stagingArn).toContain(":222222222222:");
    expect(comparison.here).toMatchObject({ arn: productionArn, role: "viewer", scope: "MessageAttributes" });
    expect(comparison.there).toMatchObject({
      match: "one",
      role: "operator",
      environment: { id: "staging", region: "eu-west-1" },
      counterpart: { arn: stagingArn, policy: stagingPolicy, scope: "MessageAttributes" },
    });
    expect(comparison.diff?.same).toBe(false);
    expect(comparison.diff?.changes.map((c) => `${c.kind} ${c.path}`)).toEqual([
      "removed amount",
      "changed eventType",
      "added region",
    ]);
  });

  it("says so when the other environment has no such subscription", async () => {
    const comparison = await compareFilterPolicy(as(cora, production), loneArn, as(cora, staging));
    expect(comparison.there.match).toBe("none");
    expect(comparison.there.message).toBe(
      `No subscription of topic ${name} to sqs ${name}-audit in Staging (eu-west-1).`,
    );
    expect(comparison.diff).toBeUndefined();
  });

  it("refuses to compare a subscription with its own environment and region", async () => {
    const err = await appErrorOf(compareFilterPolicy(as(cora, production), productionArn, as(cora, production)));
    expect(err.status).toBe(422);
  });
});

describe("copying a filter policy between environments", () => {
  const stagingState = { policy: stagingPolicy, scope: "MessageAttributes" as const };
  const copy = (target: OperationContext, source: OperationContext, expected = stagingState) =>
    copyFilterPolicy(target, stagingArn, source, { sourceArn: productionArn, expected });

  it("refuses a viewer in the target, whatever their role in the source", async () => {
    const vera = { name: "vera", role: "viewer" as const, roles: { production: "admin" as const } };
    const err = await appErrorOf(copy(as(vera, staging), as(vera, production)));
    expect(err.status).toBe(403);
    expect(err.message).toMatch(/needs the operator role; you are signed in as viewer in Staging/);
    expect((await getSubscriptionOrThrow(stagingArn, as(ada, staging).aws.clients)).filterPolicy).toBe(stagingPolicy);
  });

  it("refuses a read-only target even to an admin", async () => {
    const err = await appErrorOf(copy(as(ada, staging, true), as(ada, production, true)));
    expect(err.status).toBe(403);
    expect(err.message).toMatch(/read-only/);
  });

  it("copies production's policy to staging for an operator there, with history and an audit entry naming the source", async () => {
    const target = as(cora, staging);
    const result = await copy(target, as(cora, production));
    expect(result.changed).toBe(true);
    const live = await getSubscriptionOrThrow(stagingArn, target.aws.clients);
    expect(JSON.parse(live.filterPolicy!)).toEqual(productionPolicy);

    const history = await filterPolicyHistory(target, stagingArn);
    expect(history.map((v) => v.actor)).toEqual(["cora", "(found on AWS)"]);
    expect(history[0]!.note).toBe(`copied from Production (us-east-1), ${productionArn}`);
    expect(history[1]!.policy).toBe(stagingPolicy);

    const [entry] = await listAudit(await getStore(), { target: stagingArn, action: "filter-policy.copy" });
    expect(entry).toMatchObject({ actor: "cora", role: "operator", outcome: "success", requestId: target.requestId });
    expect(entry!.before).toEqual({ policy: JSON.parse(stagingPolicy), scope: "MessageAttributes" });
    expect(entry!.after).toEqual({
      policy: productionPolicy,
      scope: "MessageAttributes",
      copiedFrom: { environment: "production", region: "us-east-1", subscriptionArn: productionArn },
    });

    const again = await compareFilterPolicy(as(cora, production), productionArn, as(cora, staging));
    expect(again.diff).toEqual({ same: true, changes: [] });
  });

  it("answers 409 when the target changed since the caller saw it, and leaves it as it is", async () => {
    const target = as(cora, staging);
    const meanwhile = { policy: { eventType: ["order.cancelled"] }, scope: "MessageAttributes" as const };
    await saveFilterPolicy(target, stagingArn, {
      ...meanwhile,
      expected: { policy: JSON.stringify(productionPolicy), scope: "MessageAttributes" },
    });
    // The caller still thinks staging holds what it held before the first copy.
    const err = await appErrorOf(copy(target, as(cora, production)));
    expect(err.status).toBe(409);
    const live = await getSubscriptionOrThrow(stagingArn, target.aws.clients);
    expect(JSON.parse(live.filterPolicy!)).toEqual(meanwhile.policy);
  });

  it("refuses a source ARN outside the source's account, naming the body field", async () => {
    const err = await appErrorOf(checkSubscriptionArn(as(cora, production), stagingArn, "from.subscriptionArn"));
    expect(err.status).toBe(422);
    expect(err.issues?.[0]?.path).toBe("from.subscriptionArn");
  });

  it("refuses to copy from a subscription without a policy", async () => {
    const admin = as(ada, production);
    await saveFilterPolicy(admin, loneArn, {
      policy: null,
      removePolicy: true,
      scope: "MessageAttributes",
      expected: { policy: '{"a":["1"]}', scope: "MessageAttributes" },
    });
    const err = await appErrorOf(
      copyFilterPolicy(as(ada, staging), stagingArn, admin, {
        sourceArn: loneArn,
        expected: { policy: '{"eventType":["order.cancelled"]}', scope: "MessageAttributes" },
      }),
    );
    expect(err.status).toBe(422);
    expect(err.issues?.[0]?.path).toBe("from.subscriptionArn");
  });
});
