import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { CreateQueueCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { deadLetterPair, drain, queueDepth } from "../../test/queues";
import { MASK } from "../domain/dead-letter-message";
import type { Role } from "../domain/roles";
import { ORIGINAL_ID_ATTRIBUTE } from "../domain/replay";
import { productionAndStagingConfig } from "../../test/environment-fixtures";
import { contextForUser } from "../request-context";
import { userWith } from "../../test/context";
import { getStore, listAudit } from "../store";
import { copyDeadLetters } from "./copy-letters";
import { openLease } from "./dead-letter-browse";

/**
 * Copying dead letters from production (moto's default account, us-east-1) into staging
 * (222222222222 through sts:AssumeRole, eu-west-1), both on the suite's moto. Production masks
 * customer.email and the authorization attribute; staging masks nothing.
 */
const endpoint = inject("awsEndpoint");
const config = productionAndStagingConfig(endpoint, {
  staging: { roleName: "fanout-copy" },
  production: { mask: { fields: ["customer.email"], attributes: ["authorization"] } },
  more: [
    {
      id: "archive",
      name: "Archive",
      accountId: "123456789012",
      regions: ["us-west-2"],
      endpoint,
      readOnly: true,
      credentials: { source: "default" },
    },
  ],
});

const PRODUCTION = { environment: "production", region: "us-east-1" };
const STAGING = { environment: "staging", region: "eu-west-1" };
const user = (role: Role, roles: Record<string, Role> = {}) =>
  userWith(config, { name: `u-${randomUUID().slice(0, 6)}`, role, roles });
const contexts = (
  who: ReturnType<typeof user>,
  from = PRODUCTION,
  to: { environment: string; region: string } = STAGING,
) => {
  const requestId = randomUUID();
  return { source: contextForUser(config, who, requestId, from), target: contextForUser(config, who, requestId, to) };
};

const operator = user("operator");
const production = contextForUser(config, operator, randomUUID(), PRODUCTION);
const staging = contextForUser(config, operator, randomUUID(), STAGING);

async function productionDlq(fifo = false) {
  return deadLetterPair(production.aws.clients.sqs, "copy", fifo ? { fifo: true } : {});
}

async function stagingQueue(attributes: Record<string, string> = {}, fifo = false) {
  const name = `stg-copy-${randomUUID().slice(0, 8)}${fifo ? ".fifo" : ""}`;
  const url = (
    await staging.aws.clients.sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: { ...attributes, ...(fifo ? { FifoQueue: "true" } : {}) },
      }),
    )
  ).QueueUrl!;
  return { name, url };
}

async function send(
  url: string,
  body: string,
  extra: Partial<ConstructorParameters<typeof SendMessageCommand>[0]> = {},
) {
  await production.aws.clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, ...extra }));
}

const copyAudit = async (action: "dead-letters.copy" | "dead-letters.copy-in", requestId: string) =>
  (await listAudit(await getStore(), { action })).filter((e) => e.requestId === requestId).sort((a, b) => a.id - b.id);

describe("copying dead letters into another environment", () => {
  it("copies with attributes and masked values as shown, keeps the originals, and audits both sides", async () => {
    const dlq = await productionDlq();
    const target = await stagingQueue();
    await send(dlq.dlqUrl, JSON.stringify({ order: 1, customer: { email: "ann@example.com" } }), {
      MessageAttributes: {
        tenant: { DataType: "String", StringValue: "acme" },
        authorization: { DataType: "String", StringValue: "Bearer s3cret" },
      },
    });
    const { source, target: there } = contexts(operator);
    const lease = await openLease(source, dlq.dlq, { max: 10, confirmSourceRead: false });
    const ids = lease.messages.map((m) => m.messageId);

    const result = await copyDeadLetters(source, there, dlq.dlq, {
      target: { ...STAGING, queue: target.name },
      messageIds: ids,
    });
    expect(result).toMatchObject({ copied: 1, moved: 0, failed: 0, move: false });
    expect(result.letters[0]).toMatchObject({
      outcome: "copied",
      masked: expect.arrayContaining(["payload.customer.email"]),
    });

    const arrived = await drain(staging.aws.clients.sqs, target.url);
    expect(arrived).toHaveLength(1);
    expect(JSON.parse(arrived[0]!.Body!)).toEqual({ order: 1, customer: { email: MASK } });
    expect(JSON.stringify(arrived[0])).not.toMatch(/ann@example\.com|s3cret/);
    expect(arrived[0]!.MessageAttributes).toMatchObject({
      tenant: { StringValue: "acme" },
      authorization: { StringValue: MASK },
      [ORIGINAL_ID_ATTRIBUTE]: { StringValue: ids[0] },
    });
    // Copied, not moved: the original is still there (in the lease, so not visible).
    expect(await queueDepth(production.aws.clients.sqs, dlq.dlqUrl)).toEqual({ visible: 0, inFlight: 1 });

    const out = await copyAudit("dead-letters.copy", source.requestId);
    expect(out.map((e) => e.outcome)).toEqual(["pending", "success"]);
    expect(out[1]!.after).toMatchObject({ to: { ...STAGING, queue: expect.stringContaining(target.name) }, copied: 1 });
    const into = await copyAudit("dead-letters.copy-in", source.requestId);
    expect(into).toHaveLength(1);
    expect(into[0]!.target).toContain(":222222222222:");
    expect(into[0]!.after).toMatchObject({ from: { ...PRODUCTION, queue: dlq.dlqArn }, copied: 1 });
    expect(JSON.stringify([...out, ...into])).not.toMatch(/ann@example\.com|s3cret/);
  });

  it("with move, deletes only the originals whose copies were sent", async () => {
    const dlq = await productionDlq();
    const target = await stagingQueue({ MaximumMessageSize: "1024" });
    await send(dlq.dlqUrl, JSON.stringify({ small: true }));
    await send(dlq.dlqUrl, JSON.stringify({ pad: "x".repeat(2000) }));
    const { source, target: there } = contexts(operator);
    const lease = await openLease(source, dlq.dlq, { max: 10, confirmSourceRead: false });
    const result = await copyDeadLetters(source, there, dlq.dlq, {
      target: { ...STAGING, queue: target.name },
      messageIds: lease.messages.map((m) => m.messageId),
      move: true,
    });
    expect(result).toMatchObject({ copied: 0, moved: 1, failed: 1 });
    expect(result.letters.find((l) => l.outcome === "failed")).toMatchObject({
      reason: expect.stringMatching(/at most 1024/),
    });
    expect((await drain(staging.aws.clients.sqs, target.url)).map((m) => m.Body)).toEqual([
      JSON.stringify({ small: true }),
    ]);
    // The big one is still in the DLQ (leased); the small one is gone.
    expect(await queueDepth(production.aws.clients.sqs, dlq.dlqUrl)).toEqual({ visible: 0, inFlight: 1 });

    // A retry: the moved letter is no longer leased, and nothing is sent twice.
    const again = await copyDeadLetters(source, there, dlq.dlq, {
      target: { ...STAGING, queue: target.name },
      messageIds: lease.messages.map((m) => m.messageId),
      move: true,
    });
    expect(again).toMatchObject({ moved: 0, failed: 1, notLeased: 1 });
    expect(await drain(staging.aws.clients.sqs, target.url)).toEqual([]);
  });

  it("keeps the group into a FIFO target, and a retried copy is not delivered twice", async () => {
    const dlq = await productionDlq(true);
    const target = await stagingQueue({}, true);
    await send(dlq.dlqUrl, JSON.stringify({ first: true }), {
      MessageGroupId: "order-9",
      MessageDeduplicationId: "d1",
    });
    const { source, target: there } = contexts(operator);
    const lease = await openLease(source, dlq.dlq, { max: 10, confirmSourceRead: false });
    const request = { target: { ...STAGING, queue: target.name }, messageIds: lease.messages.map((m) => m.messageId) };
    expect(await copyDeadLetters(source, there, dlq.dlq, request)).toMatchObject({ copied: 1 });
    expect(await copyDeadLetters(source, there, dlq.dlq, request)).toMatchObject({ copied: 1 });
    const arrived = await drain(staging.aws.clients.sqs, target.url);
    expect(arrived.map((m) => [m.Body, m.Attributes?.MessageGroupId])).toEqual([
      [JSON.stringify({ first: true }), "order-9"],
    ]);
  });

  it("refuses a user who is not an operator in the other environment, either way, and a read-only target", async () => {
    // An operator in staging and a viewer in production (the e2e's cora).
    const cora = user("viewer", { staging: "operator" });
    const stagingDlq = await deadLetterPair(staging.aws.clients.sqs, "copy-stg");
    await staging.aws.clients.sqs.send(new SendMessageCommand({ QueueUrl: stagingDlq.dlqUrl, MessageBody: "{}" }));
    const productionTarget = await productionDlq();

    const into = contexts(cora, STAGING, PRODUCTION);
    const lease = await openLease(into.source, stagingDlq.dlq, { max: 10, confirmSourceRead: false });
    await expect(
      copyDeadLetters(into.source, into.target, stagingDlq.dlq, {
        target: { ...PRODUCTION, queue: productionTarget.source },
        messageIds: lease.messages.map((m) => m.messageId),
      }),
    ).rejects.toMatchObject({ code: "forbidden", message: expect.stringMatching(/operator.*viewer in Production/) });
    expect(await copyAudit("dead-letters.copy", into.source.requestId)).toEqual([]);

    const outOf = contexts(cora, PRODUCTION, STAGING);
    await expect(
      copyDeadLetters(outOf.source, outOf.target, productionTarget.dlq, {
        target: { ...STAGING, queue: stagingDlq.source },
        messageIds: ["any"],
      }),
    ).rejects.toMatchObject({ code: "forbidden" });

    const admin = user("admin");
    const readOnly = contexts(admin, PRODUCTION, { environment: "archive", region: "us-west-2" });
    await expect(
      copyDeadLetters(readOnly.source, readOnly.target, productionTarget.dlq, {
        target: { environment: "archive", region: "us-west-2", queue: "anything" },
        messageIds: ["any"],
      }),
    ).rejects.toMatchObject({ code: "forbidden", message: expect.stringMatching(/read-only/) });
    expect(await drain(production.aws.clients.sqs, productionTarget.sourceUrl)).toEqual([]);
  });
});
