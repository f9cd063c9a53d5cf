import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { CreateTopicCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { productionAndStagingConfig } from "../../test/environment-fixtures";
import { queueArn } from "../../test/queues";
import { contextFromConfig, systemActor } from "../request-context";
import { getTopology } from "./topology";

const config = productionAndStagingConfig(inject("awsEndpoint"), { staging: { roleName: "fanout-remote" } });
const production = contextFromConfig(config, systemActor, undefined, {
  environment: "production",
  region: "us-east-1",
});
const staging = contextFromConfig(config, systemActor, undefined, { environment: "staging", region: "eu-west-1" });

describe("a subscription to a queue of another environment", () => {
  it("is an edge of this environment's graph linking to the other environment, with no node of its account", async () => {
    const name = `remote-${randomUUID().slice(0, 8)}`;
    const queueUrl = (await staging.aws.clients.sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    const arn = await queueArn(staging.aws.clients.sqs, queueUrl);
    const topicArn = (await production.aws.clients.sns.send(new CreateTopicCommand({ Name: name }))).TopicArn!;
    await production.aws.clients.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: arn }));

    const view = await getTopology(production, { fresh: true });
    const edge = view.edges.find((e) => e.subscription && e.from === `topic:${topicArn}`);
    expect(edge?.subscription?.remote).toEqual({ arn, account: "222222222222", region: "eu-west-1", env: "staging" });
    expect(view.nodes.some((n) => n.id === `queue:${arn}`)).toBe(false);
    // The suite's moto holds other tests' resources: only this subscription's findings count.
    const own = view.warnings.filter((w) => w.nodeId === edge?.from || w.nodeId === edge?.to).map((w) => w.code);
    expect(own).not.toContain("subscription-missing-queue");
  });
});
