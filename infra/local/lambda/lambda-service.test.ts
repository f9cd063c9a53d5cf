import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  UpdateEventSourceMappingCommand,
} from "@aws-sdk/client-lambda";
import { LocalLambda, startLambdaApi } from "./lambda-service";

/** The local Lambda API, driven by the real SDK client over HTTP on loopback. */
const lambda = new LocalLambda("us-east-1", "123456789012");
let api: Awaited<ReturnType<typeof startLambdaApi>>;
let client: LambdaClient;
const queueArn = "arn:aws:sqs:us-east-1:123456789012:inventory.fifo";

beforeAll(async () => {
  api = await startLambdaApi(lambda, 0);
  client = new LambdaClient({
    region: "us-east-1",
    endpoint: api.url,
    credentials: { accessKeyId: "t", secretAccessKey: "t" },
    maxAttempts: 1,
  });
  for (const name of ["inventory", "payment"]) {
    lambda.createFunction({
      FunctionName: `demo-${name}`,
      Role: "arn:aws:iam::123456789012:role/r",
      Handler: "handler.handler",
      Timeout: 5,
      TracingConfig: { Mode: "Active" },
      Code: { S3Key: `functions/${name}/` },
      Tags: { component: name },
    });
  }
  lambda.createEventSourceMapping({
    FunctionName: "demo-inventory",
    EventSourceArn: queueArn,
    BatchSize: 10,
    FunctionResponseTypes: ["ReportBatchItemFailures"],
    ScalingConfig: { MaximumConcurrency: 2 },
  });
});

afterAll(() => api.close());

describe("the local Lambda API", () => {
  it("lists functions with their configuration, paged", async () => {
    const first = await client.send(new ListFunctionsCommand({ MaxItems: 1 }));
    expect(first.Functions).toHaveLength(1);
    expect(first.NextMarker).toBeDefined();
    const second = await client.send(new ListFunctionsCommand({ MaxItems: 1, Marker: first.NextMarker }));
    expect([...first.Functions!, ...second.Functions!].map((f) => f.FunctionName)).toEqual([
      "demo-inventory",
      "demo-payment",
    ]);
    expect(second.NextMarker).toBeUndefined();
    expect(first.Functions![0]).toMatchObject({
      Runtime: "nodejs24.x",
      Timeout: 5,
      TracingConfig: { Mode: "Active" },
      State: "Active",
    });
  });

  it("gives a function's tags by its ARN, and a 404 for an unknown one", async () => {
    const arn = "arn:aws:lambda:us-east-1:123456789012:function:demo-payment";
    expect((await client.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({ component: "payment" });
    const err = await client.send(new ListTagsCommand({ Resource: `${arn}-gone` })).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ name: "ResourceNotFoundException", $metadata: { httpStatusCode: 404 } });
  });

  it("answers an unknown function with ResourceNotFoundException", async () => {
    const err = await client.send(new GetFunctionCommand({ FunctionName: "nope" })).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ name: "ResourceNotFoundException", $metadata: { httpStatusCode: 404 } });
    expect((err as Error).message).toContain("Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope");
  });

  it("lists, filters and disables event source mappings", async () => {
    const { EventSourceMappings } = await client.send(
      new ListEventSourceMappingsCommand({ FunctionName: "demo-inventory" }),
    );
    expect(EventSourceMappings).toHaveLength(1);
    const mapping = EventSourceMappings![0]!;
    expect(mapping).toMatchObject({
      EventSourceArn: queueArn,
      BatchSize: 10,
      State: "Enabled",
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    expect(mapping.LastModified).toBeInstanceOf(Date);
    expect(
      (await client.send(new ListEventSourceMappingsCommand({ FunctionName: "demo-payment" }))).EventSourceMappings,
    ).toEqual([]);

    const updated = await client.send(new UpdateEventSourceMappingCommand({ UUID: mapping.UUID, Enabled: false }));
    expect(updated.State).toBe("Disabled");
    expect(lambda.getEventSourceMapping(mapping.UUID!).State).toBe("Disabled");
  });

  it("invokes a handler and reports a function error the way Lambda does", async () => {
    const payload = (records: unknown[]) => new TextEncoder().encode(JSON.stringify({ Records: records }));
    const ok = await client.send(new InvokeCommand({ FunctionName: "demo-inventory", Payload: payload([]) }));
    expect(ok.FunctionError).toBeUndefined();
    expect(JSON.parse(new TextDecoder().decode(ok.Payload))).toEqual({ batchItemFailures: [] });

    const failed = await client.send(
      new InvokeCommand({ FunctionName: "demo-inventory", Payload: new TextEncoder().encode('"not an event"') }),
    );
    expect(failed.FunctionError).toBe("Unhandled");
    expect(JSON.parse(new TextDecoder().decode(failed.Payload))).toMatchObject({
      errorType: expect.any(String),
      errorMessage: expect.any(String),
    });
  });

  it("says plainly what it does not implement", async () => {
    const res = await fetch(`${api.url}/2015-03-31/functions/demo-inventory/concurrency`, {
      method: "PUT",
      body: "{}",
    });
    expect(res.status).toBe(501);
    expect(res.headers.get("x-amzn-errortype")).toBe("InternalFailure");
    expect(await res.json()).toMatchObject({
      Message: expect.stringContaining("not implemented by the local Lambda service"),
    });
  });
});
