import { describe, expect, it } from "vitest";
import {
  deploymentOrder,
  evaluateConditions,
  referencedResources,
  resolve,
  TemplateError,
  type Json,
  type ResolveContext,
} from "./intrinsics";

const ctx: ResolveContext = {
  values: {
    EnvironmentName: "demo",
    "AWS::Region": "us-east-1",
    "AWS::AccountId": "123456789012",
    MaxReceiveCount: "3",
  },
  condition: (name) => name === "IsProd",
  ref: (id) => `ref:${id}`,
  getAtt: (id, attribute) => `${id}.${attribute}`,
};

describe("resolve", () => {
  it.each<[string, Json, Json]>([
    ["a parameter", { Ref: "EnvironmentName" }, "demo"],
    ["a pseudo parameter", { Ref: "AWS::Region" }, "us-east-1"],
    ["a resource", { Ref: "Queue" }, "ref:Queue"],
    ["GetAtt as a list", { "Fn::GetAtt": ["Queue", "Arn"] }, "Queue.Arn"],
    ["GetAtt as a string", { "Fn::GetAtt": "Queue.Arn" }, "Queue.Arn"],
    [
      "Sub with parameters, resources and attributes",
      { "Fn::Sub": "${EnvironmentName}-${Queue}-${Queue.Arn}-${AWS::AccountId}" },
      "demo-ref:Queue-Queue.Arn-123456789012",
    ],
    [
      "Sub with its own variables",
      { "Fn::Sub": ["${Name}:${X}", { Name: { Ref: "EnvironmentName" }, X: "y" }] },
      "demo:y",
    ],
    ["Sub's escaped literal", { "Fn::Sub": "${!Literal}-${EnvironmentName}" }, "${Literal}-demo"],
    ["Join", { "Fn::Join": [":", ["a", { Ref: "EnvironmentName" }, "b"]] }, "a:demo:b"],
    ["Select", { "Fn::Select": [1, ["a", "b", "c"]] }, "b"],
    ["Split", { "Fn::Split": [",", "a,b"] }, ["a", "b"]],
    ["If", { "Fn::If": ["IsProd", "big", "small"] }, "big"],
    [
      "nested in objects and lists",
      { a: [{ Ref: "EnvironmentName" }, { b: { "Fn::GetAtt": ["T", "Name"] } }] },
      { a: ["demo", { b: "T.Name" }] },
    ],
    ["NoValue removes a property", { keep: 1, drop: { Ref: "AWS::NoValue" } }, { keep: 1 }],
    ["NoValue removes a list element", ["a", { "Fn::If": ["IsDev", "b", { Ref: "AWS::NoValue" }] }], ["a"]],
  ])("%s", (_label, input, expected) => {
    expect(resolve(input, ctx)).toEqual(expected);
  });

  it("refuses an intrinsic function it does not implement", () => {
    expect(() => resolve({ "Fn::ImportValue": "x" }, ctx)).toThrow(TemplateError);
  });
});

describe("evaluateConditions", () => {
  it("evaluates Equals, Not, And, Or and conditions referring to conditions", () => {
    const conditions = evaluateConditions(
      {
        IsProd: { "Fn::Equals": [{ Ref: "Env" }, "prod"] },
        IsNotProd: { "Fn::Not": [{ Condition: "IsProd" }] },
        Both: { "Fn::And": [{ Condition: "IsNotProd" }, { "Fn::Equals": ["a", "a"] }] },
        Either: { "Fn::Or": [{ Condition: "IsProd" }, { "Fn::Equals": ["a", "b"] }] },
      },
      { Env: "dev" },
    );
    expect(conditions).toEqual({ IsProd: false, IsNotProd: true, Both: true, Either: false });
  });
});

describe("dependencies", () => {
  const params = new Set(["EnvironmentName"]);

  it("finds resources through Ref, GetAtt and Sub, not parameters or pseudo parameters", () => {
    const refs = referencedResources(
      {
        a: { Ref: "Topic" },
        b: { "Fn::GetAtt": ["Queue", "Arn"] },
        c: { "Fn::Sub": "${Dlq.Arn}/${EnvironmentName}/${AWS::Region}/${!Nope}" },
        d: { Ref: "EnvironmentName" },
      },
      params,
    );
    expect([...refs].sort()).toEqual(["Dlq", "Queue", "Topic"]);
  });

  it("orders each resource after what it needs", () => {
    const order = deploymentOrder(
      {
        Subscription: { Properties: { TopicArn: { Ref: "Topic" }, Endpoint: { "Fn::GetAtt": ["Queue", "Arn"] } } },
        Queue: { Properties: { RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": ["Dlq", "Arn"] } } } },
        Dlq: { Properties: {} },
        Topic: { Properties: {} },
        Alarm: { DependsOn: "Subscription", Properties: {} },
      },
      params,
    );
    const before = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    before("Dlq", "Queue");
    before("Queue", "Subscription");
    before("Topic", "Subscription");
    before("Subscription", "Alarm");
    expect(order).toHaveLength(5);
  });

  it("reports a cycle and an unknown reference", () => {
    expect(() =>
      deploymentOrder({ A: { Properties: { x: { Ref: "B" } } }, B: { Properties: { y: { Ref: "A" } } } }, params),
    ).toThrow(/circular dependency/);
    expect(() => deploymentOrder({ A: { Properties: { x: { Ref: "Missing" } } } }, params)).toThrow(
      /unknown resource Missing/,
    );
  });
});
