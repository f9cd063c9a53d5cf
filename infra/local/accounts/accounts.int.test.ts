import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { BatchGetTracesCommand, XRayClient } from "@aws-sdk/client-xray";
import type { OrderEvent } from "../../functions/shared/order-event";
import type { SQSEvent } from "../../functions/shared/sqs-batch";
import type { InvocationRecord } from "../lambda/lambda-service";
import { startLocalPipeline, type LocalPipeline } from "../pipeline";
import { readEmulatorState } from "../telemetry/telemetry";
import {
  assumedRoleCredentials,
  createAssumableRole,
  defaultAccountCredentials,
  defaultAccountId,
  type TemporaryCredentials,
} from "./accounts";

/**
 * The pipeline deployed into a second account, reached as the demo's staging environment is: a
 * role created in account 222222222222 and assumed through sts:AssumeRole, in eu-west-1. Its
 * resources exist in that account and region only, and the local Lambda service, telemetry and
 * traces serve it there, the Lambda service through the one endpoint.
 */

const endpoint = inject("awsEndpoint");
const staging = { accountId: "222222222222", region: "eu-west-1" };
const environmentName = `it-${randomUUID().slice(0, 8)}`;
const roleName = `fanout-console-${environmentName}`;

let pipeline: LocalPipeline;
let credentials: () => Promise<TemporaryCredentials>;
const invocations: InvocationRecord[] = [];

const clientOptions = (
  who: "staging" | "default",
  region: string,
): { region: string; endpoint: string; credentials: TemporaryCredentials | (() => Promise<TemporaryCredentials>) } => ({
  region,
  endpoint,
  credentials: who === "staging" ? credentials : defaultAccountCredentials,
});

async function queueUrls(who: "staging" | "default", region: string): Promise<string[]> {
  const sqs = new SQSClient({ ...clientOptions(who, region), useQueueUrlAsEndpoint: false });
  return (await sqs.send(new ListQueuesCommand({ QueueNamePrefix: environmentName }))).QueueUrls ?? [];
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  const roleArn = await createAssumableRole({
    awsEndpoint: endpoint,
    ...staging,
    roleName,
    trustedAccountId: defaultAccountId,
    externalId: "fanout-it",
  });
  credentials = assumedRoleCredentials({
    awsEndpoint: endpoint,
    region: staging.region,
    roleArn,
    externalId: "fanout-it",
    sessionName: "fanout-it",
  });
  pipeline = await startLocalPipeline({
    awsEndpoint: endpoint,
    lambdaPort: 0,
    region: staging.region,
    credentials,
    lambdaOnAwsEndpoint: true,
    parameters: { EnvironmentName: environmentName, VisibilityTimeout: "2", FunctionTimeout: "2", BatchSize: "1" },
    traffic: false,
    telemetryIntervalMs: 60_000,
    alarmIntervalMs: 60_000,
  });
  pipeline.lambda.on("invocation", (record) => invocations.push(record));
}, 120_000);

afterAll(async () => {
  await pipeline?.stop();
});

describe("the pipeline in a second account, through AssumeRole", () => {
  it("runs as the assumed role, in the role's account and the environment's region", async () => {
    const sts = new STSClient(clientOptions("staging", staging.region));
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(staging.accountId);
    expect(identity.Arn).toBe(`arn:aws:sts::${staging.accountId}:assumed-role/${roleName}/fanout-it`);
    expect(pipeline).toMatchObject(staging);
    expect(pipeline.topicArn).toBe(`arn:aws:sns:eu-west-1:222222222222:${environmentName}-orders.fifo`);
  });

  it("creates its queues in that account and region, and in no other", async () => {
    const deployed = Object.values(pipeline.deployment.resources)
      .filter((r) => r.type === "AWS::SQS::Queue")
      .map((r) => r.attributes.QueueName!);
    expect(deployed).toHaveLength(7);
    const names = (urls: string[]) => urls.map((url) => url.slice(url.lastIndexOf("/") + 1)).sort();
    const listed = await queueUrls("staging", staging.region);
    expect(names(listed)).toEqual([...deployed].sort());
    expect(listed.every((url) => url.includes(`/${staging.accountId}/`))).toBe(true);

    expect(await queueUrls("default", staging.region)).toEqual([]);
    expect(await queueUrls("default", "us-east-1")).toEqual([]);
    expect(await queueUrls("staging", "us-east-1")).toEqual([]);

    const alarms = async (who: "staging" | "default") =>
      (
        await new CloudWatchClient(clientOptions(who, staging.region)).send(
          new DescribeAlarmsCommand({ AlarmNamePrefix: `${environmentName}-` }),
        )
      ).MetricAlarms ?? [];
    expect((await alarms("staging")).length).toBeGreaterThan(0);
    expect(await alarms("default")).toEqual([]);
  });

  it("serves its functions on the one endpoint to the account's credentials only", async () => {
    const functionsSeenBy = async (who: "staging" | "default") =>
      (
        (await new LambdaClient(clientOptions(who, staging.region)).send(new ListFunctionsCommand({}))).Functions ?? []
      ).map((f) => f.FunctionArn);
    const expected = pipeline.lambda.listFunctions().map((f) => f.FunctionArn);
    expect(expected).toHaveLength(3);
    expect(expected.every((arn) => arn.startsWith("arn:aws:lambda:eu-west-1:222222222222:function:"))).toBe(true);
    expect((await functionsSeenBy("staging")).sort()).toEqual([...expected].sort());
    expect(await functionsSeenBy("default")).not.toContain(expected[0]);
  });

  it("consumes the account's queues: a published event is processed, counted and traced there", async () => {
    const event: OrderEvent = {
      eventId: randomUUID(),
      type: "order.placed",
      orderId: `ord-${environmentName}`,
      customerId: "cus-1",
      amount: 12.5,
      currency: "EUR",
      region: "eu-west",
      priority: "standard",
      occurredAt: new Date().toISOString(),
      traffic: "live",
    };
    const published = await pipeline.publish({ event, body: JSON.stringify(event) });
    const inventory = `${environmentName}-inventory`;
    const queueArn = pipeline.deployment.resources.InventoryQueue!.attributes.Arn!;
    const handled = await until(
      "the inventory function to process the event",
      async () =>
        invocations.find(
          (i) =>
            i.functionName === inventory &&
            !i.error &&
            (i.event as SQSEvent).Records.some((r) => r.body === published.body),
        ),
      20_000,
    );
    expect((handled.event as SQSEvent).Records[0]).toMatchObject({ eventSourceARN: queueArn, awsRegion: "eu-west-1" });
    // The poller deletes the message after the invocation answers.
    await until(
      "the processed message to be deleted",
      async () => ((await readEmulatorState(endpoint)).sqs[queueArn]?.deleted === 1 ? true : undefined),
      5_000,
    );

    await pipeline.flushTelemetry();
    const sum = async (who: "staging" | "default", namespace: string, metric: string, dimension: [string, string]) => {
      const { Datapoints } = await new CloudWatchClient(clientOptions(who, staging.region)).send(
        new GetMetricStatisticsCommand({
          Namespace: namespace,
          MetricName: metric,
          Dimensions: [{ Name: dimension[0], Value: dimension[1] }],
          StartTime: new Date(Date.now() - 300_000),
          EndTime: new Date(Date.now() + 120_000),
          Period: 60,
          Statistics: ["Sum"],
        }),
      );
      return (Datapoints ?? []).reduce((total, d) => total + (d.Sum ?? 0), 0);
    };
    const queue: [string, string] = ["QueueName", `${inventory}.fifo`];
    expect(await sum("staging", "AWS/Lambda", "Invocations", ["FunctionName", inventory])).toBeGreaterThanOrEqual(1);
    expect(await sum("staging", "AWS/SQS", "NumberOfMessagesDeleted", queue)).toBe(1);
    expect(await sum("default", "AWS/SQS", "NumberOfMessagesSent", queue)).toBe(0);
    expect(await sum("default", "AWS/Lambda", "Invocations", ["FunctionName", inventory])).toBe(0);

    const traceId = published.traceHeader!.split(";")[0]!.slice("Root=".length);
    const traces = async (who: "staging" | "default") =>
      (
        await new XRayClient(clientOptions(who, staging.region)).send(
          new BatchGetTracesCommand({ TraceIds: [traceId] }),
        )
      ).Traces ?? [];
    // The producer's segments are written as the publish answers; poll briefly for them.
    await until("the producer trace", async () => ((await traces("staging")).length ? true : undefined), 5_000);
    expect(await traces("default")).toEqual([]);
  });
});
