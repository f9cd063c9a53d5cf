import { describe, expect, it } from "vitest";
import { deployTemplate, skippedLocally, translateTemplate, type CfnTemplate, type DeployClients } from "./deploy";
import type { LocalLambda } from "../lambda/lambda-service";

/** Nothing is created in these tests: a call to any client or to the Lambda service would throw. */
const noClients = new Proxy(
  {},
  {
    get: (_, name) => {
      throw new Error(`unexpected client ${String(name)}`);
    },
  },
) as DeployClients;
const noLambda = new Proxy(
  {},
  {
    get: (_, name) => {
      throw new Error(`unexpected Lambda call ${String(name)}`);
    },
  },
) as LocalLambda;

function deploy(template: CfnTemplate, parameters: Record<string, string> = {}) {
  const lines: string[] = [];
  const deployment = deployTemplate(template, {
    clients: noClients,
    lambda: noLambda,
    region: "us-east-1",
    accountId: "123456789012",
    parameters,
    log: (line) => lines.push(line),
  });
  return { deployment, lines };
}

describe("the local deploy of the template's X-Ray resource policy", () => {
  const template: CfnTemplate = {
    Parameters: { TopicTracing: { Type: "String", Default: "Active" } },
    Conditions: { TopicTracingActive: { "Fn::Equals": [{ Ref: "TopicTracing" }, "Active"] } },
    Resources: {
      SnsActiveTracingPolicy: {
        Type: "AWS::XRay::ResourcePolicy",
        Condition: "TopicTracingActive",
        Properties: { PolicyName: "p", PolicyDocument: { "Fn::ImportValue": "not-resolvable-locally" } },
      },
    },
  };

  it("skips AWS::XRay::ResourcePolicy with a logged note, without resolving it or calling any service", async () => {
    const { deployment, lines } = deploy(template);
    const result = await deployment;
    expect(result.resources).toEqual({});
    expect(result.skipped).toEqual([
      {
        logicalId: "SnsActiveTracingPolicy",
        type: "AWS::XRay::ResourcePolicy",
        reason: skippedLocally["AWS::XRay::ResourcePolicy"],
      },
    ]);
    expect(lines).toEqual([
      `SnsActiveTracingPolicy (AWS::XRay::ResourcePolicy) ${skippedLocally["AWS::XRay::ResourcePolicy"]}`,
    ]);
  });

  it("leaves it out silently when its condition is false (tracing PassThrough)", async () => {
    const { deployment, lines } = deploy(template, { TopicTracing: "PassThrough" });
    expect((await deployment).skipped).toEqual([]);
    expect(lines).toEqual([]);
  });

  it("still refuses a resource type it neither creates nor skips", async () => {
    const { deployment } = deploy({ Resources: { Bucket: { Type: "AWS::S3::Bucket" } } });
    await expect(deployment).rejects.toThrow("Bucket: the local run cannot deploy AWS::S3::Bucket");
  });
});

describe("infra/template.yaml", () => {
  const template = translateTemplate();

  it("lets SNS put its trace segments when the topic's tracing is Active (X-Ray Developer Guide, Amazon SNS and AWS X-Ray)", () => {
    const topic = template.Resources.OrdersTopic!;
    expect(topic.Properties?.TracingConfig).toEqual({ Ref: "TopicTracing" });
    expect(template.Parameters?.TopicTracing?.Default).toBe("Active");
    const policy = template.Resources.SnsActiveTracingPolicy!;
    expect(policy).toMatchObject({ Type: "AWS::XRay::ResourcePolicy", Condition: "TopicTracingActive" });
    expect(template.Conditions?.TopicTracingActive).toEqual({ "Fn::Equals": [{ Ref: "TopicTracing" }, "Active"] });
    const text = (policy.Properties?.PolicyDocument as { "Fn::Sub": string })["Fn::Sub"];
    const document = JSON.parse(text) as {
      Statement: Array<{
        Effect: string;
        Principal: unknown;
        Action: string[];
        Condition: Record<string, Record<string, string>>;
      }>;
    };
    expect(document.Statement).toHaveLength(1);
    const [statement] = document.Statement;
    expect(statement).toMatchObject({ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" } });
    expect(statement!.Action).toContain("xray:PutTraceSegments");
    // Only this account's topic may use it (confused-deputy protection, as in AWS's example policy).
    expect(statement!.Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "${AWS::AccountId}" },
      StringLike: { "aws:SourceArn": "${OrdersTopic}" },
    });
  });

  it("defaults the queues' visibility timeout to at least six times the functions' timeout (Lambda Developer Guide)", () => {
    const visibility = Number(template.Parameters?.VisibilityTimeout?.Default);
    const functionTimeout = Number(template.Parameters?.FunctionTimeout?.Default);
    expect(visibility).toBeGreaterThanOrEqual(6 * functionTimeout);
    expect(Number(template.Parameters?.MaxReceiveCount?.Default)).toBeGreaterThanOrEqual(5);
  });
});
