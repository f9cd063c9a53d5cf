import { describe, expect, it } from "vitest";
import { ListQueuesCommand } from "@aws-sdk/client-sqs";
import { loadConfig } from "../env";
import { contextFromConfig, systemActor } from "../request-context";
import { verifyEnvironment } from "./verify-environment";

const endpoint = process.env.AWS_ENDPOINT_URL!;
const config = loadConfig({
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: "us-east-1",
  FANOUT_DATA_DIR: process.env.FANOUT_DATA_DIR,
  FANOUT_ENVIRONMENTS: JSON.stringify([
    {
      id: "staging",
      name: "Staging",
      accountId: "222222222222",
      regions: ["eu-west-1", "eu-central-1"],
      endpoint,
      credentials: { source: "assume-role", roleArn: "arn:aws:iam::222222222222:role/fanout-verify" },
    },
    // Configured for one account, reaching another (moto's default): the check must say so.
    {
      id: "wrong",
      name: "Wrong",
      accountId: "444444444444",
      regions: ["us-east-1"],
      endpoint,
      credentials: { source: "default" },
    },
  ]),
});
const scope = (environment: string, region: string) =>
  contextFromConfig(config, systemActor, undefined, { environment, region });

describe("verify:aws against moto", () => {
  it("reaches the environment's account through its role, reads, and leaves no scratch queue behind", async () => {
    const ctx = scope("staging", "eu-west-1");
    const steps = await verifyEnvironment(ctx, true);
    expect(steps.map((s) => [s.step, s.ok])).toEqual([
      ["account", true],
      ["sns:ListTopics", true],
      ["sqs:ListQueues", true],
      ["round trip", true],
      ["scratch queue deleted", true],
    ]);
    expect(steps[0]!.detail).toBe("credentials reach account 222222222222");
    const left = await ctx.aws.clients.sqs.send(new ListQueuesCommand({ QueueNamePrefix: "fanout-verify-" }));
    expect(left.QueueUrls ?? []).toEqual([]);
  });

  it("reads only in a region other than the first", async () => {
    const steps = await verifyEnvironment(scope("staging", "eu-central-1"), false);
    expect(steps.map((s) => s.step)).toEqual(["account", "sns:ListTopics", "sqs:ListQueues"]);
  });

  it("stops at an account that is not the configured one, naming both", async () => {
    const steps = await verifyEnvironment(scope("wrong", "us-east-1"), true);
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ step: "account", ok: false });
    expect(steps[0]!.detail).toMatch(/444444444444.*123456789012/);
  });
});
