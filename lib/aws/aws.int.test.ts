import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateQueueCommand, GetQueueUrlCommand, StartMessageMoveTaskCommand } from "@aws-sdk/client-sqs";
import { CreateTopicCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { randomUUID } from "node:crypto";
import { appErrorOf } from "../../test/app-error";
import { testContext } from "../../test/context";
import { startFaultProxy, type FaultProxy } from "../../test/fault-proxy";
import { callAws, knownCapability, rememberCapability } from "./call";
import { probeAllCapabilities, probeCapability } from "./capabilities";
import { checkEndpointHealth } from "./health";
import { listQueues } from "./sqs";
import { listTopics } from "./sns";

const unique = () => `it-${randomUUID().slice(0, 8)}`;

describe("against moto", () => {
  const aws = testContext().aws;
  const { clients } = aws;

  it("lists topics and queues it created, with FIFO recognised", async () => {
    const topicName = `${unique()}.fifo`;
    const queueName = unique();
    await clients.sns.send(new CreateTopicCommand({ Name: topicName, Attributes: { FifoTopic: "true" } }));
    await clients.sqs.send(new CreateQueueCommand({ QueueName: queueName }));
    const topics = await listTopics(clients);
    const queues = await listQueues(clients);
    expect(topics.find((t) => t.name === topicName)).toMatchObject({ fifo: true });
    expect(queues.find((q) => q.name === queueName)).toMatchObject({ fifo: false });
  });

  it("maps a missing queue to not_found", async () => {
    const err = await appErrorOf(
      callAws(clients, "sqs", "GetQueueUrl", () => clients.sqs.send(new GetQueueUrlCommand({ QueueName: unique() }))),
    );
    expect(err.code).toBe("not_found");
  });

  it("maps AWS's validation error to validation, keeping AWS's reason", async () => {
    const err = await appErrorOf(
      callAws(clients, "sns", "CreateTopic", () =>
        clients.sns.send(new CreateTopicCommand({ Name: unique(), Attributes: { FifoTopic: "true" } })),
      ),
    );
    expect(err.code).toBe("validation");
    expect(err.message).toMatch(/Fifo Topic names must end with .fifo/);
  });

  it("maps an operation the endpoint lacks to not_supported_by_endpoint and remembers it", async () => {
    const single = aws.probeClients;
    const err = await appErrorOf(
      callAws(single, "sqs", "StartMessageMoveTask", () =>
        single.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: "arn:aws:sqs:us-east-1:123456789012:nope" })),
      ),
    );
    expect(err.code).toBe("not_supported_by_endpoint");
    expect(err.status).toBe(501);
    expect(knownCapability(aws.key, "sqs", "StartMessageMoveTask")).toBe("not_supported");
    // Filed under this environment only.
    expect(knownCapability("elsewhere", "sqs", "StartMessageMoveTask")).toBe("unknown");
  });

  it("reads an HTML 500 from a supported operation as an upstream failure", async () => {
    // moto answers a non-JSON filter policy with an HTML 500 although it implements Subscribe.
    const single = aws.probeClients;
    const topic = await single.sns.send(new CreateTopicCommand({ Name: unique() }));
    rememberCapability(aws.key, "sns", "Subscribe", "supported");
    const err = await appErrorOf(
      callAws(single, "sns", "Subscribe", () =>
        single.sns.send(
          new SubscribeCommand({
            TopicArn: topic.TopicArn,
            Protocol: "sqs",
            Endpoint: "arn:aws:sqs:us-east-1:123456789012:x",
            Attributes: { FilterPolicy: "{not json" },
          }),
        ),
      ),
    );
    expect(err.code).toBe("upstream_unavailable");
  });

  it("probes the optional operations once and reports what moto lacks", async () => {
    const capabilities = await probeAllCapabilities(aws);
    expect(capabilities).toEqual({
      "sqs:StartMessageMoveTask": "not_supported",
      "cloudwatch:DescribeAlarmHistory": "not_supported",
      "xray:GetTraceSummaries.FilterExpression": "not_supported",
      "xray:GetSamplingRules": "not_supported",
      "xray:GetTraceSegmentDestination": "not_supported",
    });
    expect(await probeCapability(aws, "sqs", "NoSuchProbe")).toBe("unknown");
  });

  it("reports every service healthy", async () => {
    const health = await checkEndpointHealth(aws);
    expect(health.services).toEqual({ sns: "ok", sqs: "ok", cloudwatch: "ok", xray: "ok", lambda: "ok" });
    expect(health.endpoint).toBe(process.env.AWS_ENDPOINT_URL);
    expect(health.errors).toBeUndefined();
  });
});

describe("through a fault-injecting proxy", () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(process.env.AWS_ENDPOINT_URL!);
  });
  afterAll(() => proxy.close());

  const proxiedContext = () => testContext({ endpoint: proxy.url }).aws;
  const proxied = (mode: "default" | "single-attempt" = "default") =>
    mode === "default" ? proxiedContext().clients : proxiedContext().probeClients;

  it("passes requests through when healthy", async () => {
    proxy.setFault({ mode: "pass" });
    await expect(listQueues(proxied())).resolves.toBeInstanceOf(Array);
    expect(proxy.requests).toBeGreaterThan(0);
  });

  it("maps throttling to throttled after the SDK's standard retries", async () => {
    proxy.setFault({ mode: "error", status: 400, code: "ThrottlingException", message: "Rate exceeded" });
    const err = await appErrorOf(listQueues(proxied()));
    expect(err.code).toBe("throttled");
    expect(err.status).toBe(429);
    expect(proxy.requests).toBe(3);
  });

  it.each([
    ["sqs (JSON protocol)", () => listQueues(proxied())],
    ["sns (query protocol)", () => listTopics(proxied())],
  ])("maps AccessDenied from %s to access_denied without retrying", async (_label, call) => {
    proxy.setFault({ mode: "error", status: 403, code: "AccessDenied", message: "User is not authorized" });
    const err = await appErrorOf(call());
    expect(err.code).toBe("access_denied");
    expect(err.message).toContain("User is not authorized");
    expect(proxy.requests).toBe(1);
  });

  it("maps a 503 from the endpoint to upstream_unavailable", async () => {
    proxy.setFault({ mode: "status", status: 503 });
    const err = await appErrorOf(listQueues(proxied("single-attempt")));
    expect(err.code).toBe("upstream_unavailable");
    expect(proxy.requests).toBe(1);
  });

  it("maps a dropped connection to upstream_unavailable", async () => {
    proxy.setFault({ mode: "drop" });
    const err = await appErrorOf(listTopics(proxied("single-attempt")));
    expect(err.code).toBe("upstream_unavailable");
  });

  it("reports services as failing in health while the endpoint is down", async () => {
    proxy.setFault({ mode: "status", status: 503 });
    const health = await checkEndpointHealth(proxiedContext());
    expect(health.services).toEqual({
      sns: "error",
      sqs: "error",
      cloudwatch: "error",
      xray: "error",
      lambda: "error",
    });
    expect(health.errors?.sqs).toMatch(/HTTP 503/);
  });
});
