import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CreateQueueCommand, ListQueuesCommand } from "@aws-sdk/client-sqs";
import { appErrorOf } from "../../test/app-error";
import { testContext } from "../../test/context";
import { queueArn } from "../../test/queues";
import { parseEnvironments, type Environment } from "../domain/environments";
import { awsContext } from "./context";
import { environmentAwsSettings } from "./credentials";
import { assumeRole, verifiedAccount } from "./sts";

const endpoint = process.env.AWS_ENDPOINT_URL!;
const unique = () => `it-${randomUUID().slice(0, 8)}`;

function environment(entry: Record<string, unknown>): Environment {
  const parsed = parseEnvironments([{ name: "Test", regions: ["us-east-1"], endpoint, ...entry }]);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.environments[0]!;
}

const staging = environment({
  id: "staging",
  accountId: "222222222222",
  credentials: {
    source: "assume-role",
    roleArn: "arn:aws:iam::222222222222:role/fanout-test",
    externalId: "fanout-it",
    durationSeconds: 900,
  },
});
const stagingAws = () => awsContext(environmentAwsSettings(staging, "us-east-1"), staging.id);

describe("an environment's credentials against moto", () => {
  it("acts in the assumed role's account, which the default account does not see", async () => {
    const { clients, key } = stagingAws();
    const name = unique();
    const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: name }));
    expect(await queueArn(clients.sqs, QueueUrl!)).toBe(`arn:aws:sqs:us-east-1:222222222222:${name}`);

    const defaults = testContext().aws;
    expect(key).not.toBe(defaults.key);
    const listed = await defaults.clients.sqs.send(new ListQueuesCommand({ QueueNamePrefix: name }));
    expect(listed.QueueUrls ?? []).toEqual([]);
  });

  it("shares one assumed role between the clients of both modes", async () => {
    const { clients, probeClients } = stagingAws();
    const [a, b] = await Promise.all([clients.sqs.config.credentials(), probeClients.lambda.config.credentials()]);
    expect(a.accessKeyId).toBe(b.accessKeyId);
    // AssumeRole's DurationSeconds: moto answers an expiration that far ahead.
    const left = a.expiration!.getTime() - Date.now();
    expect(left).toBeGreaterThan(800_000);
    expect(left).toBeLessThanOrEqual(900_000);
  });

  it("verifies the configured account and names the environment when it is another", async () => {
    expect(await verifiedAccount(staging, stagingAws().clients)).toBe("222222222222");

    // The default chain reaches moto's default account, 123456789012, not the one configured.
    const wrong = environment({
      id: "wrong",
      name: "Wrong",
      accountId: "222222222222",
      credentials: { source: "default" },
    });
    const err = await appErrorOf(
      verifiedAccount(wrong, awsContext(environmentAwsSettings(wrong, "us-east-1"), wrong.id).clients),
    );
    expect(err.code).toBe("conflict");
    expect(err.message).toContain('Environment "wrong" (Wrong) is configured for account 222222222222');
    expect(err.message).toContain("reach account 123456789012");
  });

  it("signs with a named profile of the shared credentials file", async () => {
    // A profile holding a role's keys for account 333333333333 shows the profile was read, not the
    // AWS_ACCESS_KEY_ID of the environment.
    const keys = await assumeRole(testContext().aws.clients, {
      roleArn: "arn:aws:iam::333333333333:role/fanout-profile",
      sessionName: "fanout-it",
    });
    const dir = mkdtempSync(path.join(os.tmpdir(), "fanout-profile-"));
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, "credentials");
    process.env.AWS_CONFIG_FILE = path.join(dir, "config");
    writeFileSync(
      process.env.AWS_SHARED_CREDENTIALS_FILE,
      `[fanout-dev]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\naws_session_token = ${keys.sessionToken}\n`,
    );
    writeFileSync(process.env.AWS_CONFIG_FILE, "");

    const dev = environment({
      id: "dev",
      accountId: "333333333333",
      credentials: { source: "profile", profile: "fanout-dev" },
    });
    expect(await verifiedAccount(dev, awsContext(environmentAwsSettings(dev, "us-east-1"), dev.id).clients)).toBe(
      "333333333333",
    );
  });
});
