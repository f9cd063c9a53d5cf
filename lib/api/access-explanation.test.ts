import { describe, expect, it } from "vitest";
import { explainUserAccess, resourceKindOf, routesOn } from "./access-explanation";
import type { Binding } from "../domain/bindings";

const QUEUE = "arn:aws:sqs:eu-west-1:111111111111:payments-dlq";

describe("resourceKindOf", () => {
  it.each([
    [QUEUE, "queue"],
    ["arn:aws:sns:eu-west-1:111111111111:events", "topic"],
    ["arn:aws:sns:eu-west-1:111111111111:events:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", "subscription"],
    ["arn:aws:lambda:eu-west-1:111111111111:function:billing", "function"],
    ["arn:aws:s3:::bucket", undefined],
    ["payments-dlq", undefined],
  ])("%s is a %s", (arn, kind) => {
    expect(resourceKindOf(arn)).toBe(kind);
  });
});

describe("explainUserAccess", () => {
  const bindings: Binding[] = [
    { role: "viewer", environments: ["production"], from: "group everyone in production" },
    { role: "operator", environments: ["*"], resources: ["arn:aws:sqs:*:*:payments-*"], from: "group payments" },
    { role: "admin", environments: ["staging"], from: "users[ana].roles.staging" },
  ];

  it("names the binding that gives the role, why the others do not, and which actions follow", () => {
    const explained = explainUserAccess(
      { bindings },
      { id: "production", readOnly: false },
      { kind: "queue", arns: [QUEUE] },
      "operator",
    );
    expect(explained.role).toBe("operator");
    expect(explained.bindings.map((b) => [b.from, b.matches, b.why])).toEqual([
      ["group everyone in production", true, undefined],
      ["group payments", true, undefined],
      ["users[ana].roles.staging", false, "not bound in production (staging)"],
    ]);
    const allowed = (route: string) => explained.actions.find((a) => a.route === route)?.allowed;
    expect(allowed("POST /api/queues/[name]/replay")).toBe(true);
    expect(allowed("POST /api/queues/[name]/purge")).toBe(false);
    expect(explained.actions.find((a) => a.route === "GET /api/queues/[name]/messages")?.rule).toContain("viewer");
  });

  it("caps the role at viewer in a read-only environment", () => {
    const explained = explainUserAccess(
      { bindings },
      { id: "production", readOnly: true },
      { kind: "queue", arns: [QUEUE] },
      "viewer",
    );
    expect(explained.role).toBe("viewer");
    expect(explained.actions.filter((a) => a.allowed).every((a) => a.needs === "viewer")).toBe(true);
  });

  it("allows nothing on a resource no binding reaches", () => {
    const other = "arn:aws:sqs:eu-west-1:111111111111:orders-dlq";
    const explained = explainUserAccess(
      { bindings },
      { id: "dev", readOnly: false },
      { kind: "queue", arns: [other] },
      undefined,
    );
    expect(explained.role).toBeUndefined();
    expect(explained.actions.some((a) => a.allowed)).toBe(false);
  });

  it("lists every route of the access table about a queue, a subscription and a topic", () => {
    expect(routesOn("queue")).toContain("POST /api/queues/[name]/purge");
    expect(routesOn("subscription")).toContain("PUT /api/subscriptions/[arn]/filter-policy");
    expect(routesOn("topic")).toEqual(["POST /api/topics/[arn]/route"]);
    expect(routesOn("function")).toEqual([]);
  });
});
