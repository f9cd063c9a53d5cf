import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateQueueCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { queueNameSchema, replayRequestSchema } from "../schemas/dead-letters";
import { checkSubscriptionArn, checkTopicArn } from "../api/params";
import { testContext } from "../../test/context";

const ctx = testContext();

/**
 * No request of the console goes where user input points: queue URLs never choose the host a
 * signed request is sent to, and names and ARNs outside the account and region are refused
 * before any AWS call.
 */

let attacker: http.Server;
let attackerHits = 0;
let attackerUrl = "";

beforeAll(async () => {
  attacker = http.createServer((_req, res) => {
    attackerHits++;
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => attacker.close(() => resolve())));

describe("requests go to the configured endpoint only", () => {
  it("a queue URL naming another host is answered by the configured endpoint; the other host hears nothing", async () => {
    const { sqs } = ctx.aws.clients;
    const name = `ssrf-${Date.now().toString(36)}`;
    await sqs.send(new CreateQueueCommand({ QueueName: name }));
    for (const url of [`${attackerUrl}/123456789012/${name}`, `http://169.254.169.254/123456789012/${name}`]) {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }),
      );
      expect(Attributes?.QueueArn).toBe(`arn:aws:sqs:us-east-1:123456789012:${name}`);
    }
    expect(attackerHits).toBe(0);
  });
});

describe("hostile names and ARNs are refused before any AWS call", () => {
  it.each([
    "http://169.254.169.254/latest/meta-data",
    "../../admin",
    "q%2F..",
    "a b",
    "<img src=x onerror=alert(1)>",
    "q".repeat(81),
    "javascript:alert(1)",
    "",
  ])("queue name %j", (name) => {
    expect(queueNameSchema.safeParse(name).success).toBe(false);
  });

  it("a replay target that is not a queue name", () => {
    const parsed = replayRequestSchema.safeParse({ all: true, target: "https://evil.example/123456789012/q" });
    expect(parsed.success).toBe(false);
  });

  it.each([
    ["another region", "arn:aws:sns:eu-west-1:123456789012:orders:0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e"],
    ["another account", "arn:aws:sns:us-east-1:999999999999:orders:0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e"],
    ["a URL", "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe"],
    ["markup", "arn:aws:sns:us-east-1:123456789012:<script>:x"],
  ])("subscription ARN in %s", async (_what, arn) => {
    await expect(checkSubscriptionArn(ctx, arn)).rejects.toMatchObject({
      code: "validation",
      issues: [{ path: "arn" }],
    });
  });

  it.each([
    ["another region", "arn:aws:sns:eu-west-1:123456789012:orders"],
    ["another account", "arn:aws:sns:us-east-1:999999999999:orders"],
    ["a URL", "http://127.0.0.1:4566/orders"],
  ])("topic ARN in %s", async (_what, arn) => {
    await expect(checkTopicArn(ctx, arn)).rejects.toMatchObject({ code: "validation", issues: [{ path: "arn" }] });
  });

  it("the account's own ARNs pass", async () => {
    await expect(checkTopicArn(ctx, "arn:aws:sns:us-east-1:123456789012:orders")).resolves.toBe(
      "arn:aws:sns:us-east-1:123456789012:orders",
    );
  });
});
