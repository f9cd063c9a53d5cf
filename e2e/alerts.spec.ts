import { createWriteStream } from "node:fs";
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { expect, test, type Page } from "@playwright/test";
import { createOrderStream } from "../infra/local";
import { DELIVERY_HEADER } from "../lib/domain/alerts/destinations";
import { SIGNATURE_HEADER, verifySignature } from "../lib/domain/alerts/signature";
import type { WebhookPayload } from "../lib/domain/alerts/webhook-payload";
import type { RunningConsole } from "../scripts/lib/console";
import { createDatabase, startThrowawayPostgres, type ThrowawayPostgres } from "../scripts/lib/postgres";
import { startAlertReceiver, type AlertReceiver, type ReceivedAlert } from "../test/alert-receiver";
import { deadLetterPair, queueDepth, sendLetters } from "../test/queues";
import { REPLICA_USER, signedIn, startReplica, type Client } from "../test/replicas";
import { submitLogin } from "./helpers";

/**
 * Alerts end to end: two console replicas on one PostgreSQL, evaluating every 5 seconds, and a real
 * HTTP receiver standing in for the on-call's webhook. The demo's poison events, dead-lettered by
 * SQS, raise one signed notification, which the receiver first refuses with a 500 and is sent again;
 * the alerts page lists it with a link to the DLQ; a replay empties the DLQ and the alert resolves.
 * A silenced DLQ is evaluated and listed, and nobody is told.
 */

const SECRET = "e2e-alerts-webhook-secret-0123456789abcdef";
const sqs = new SQSClient({
  region: "us-east-1",
  endpoint: process.env.FANOUT_E2E_AWS_ENDPOINT!,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
});

interface Notification extends ReceivedAlert {
  payload: WebhookPayload;
  deliveryId: string;
}

const notificationsOf = (receiver: AlertReceiver, resource: string): Notification[] =>
  receiver.received
    .map((r) => ({
      ...r,
      payload: JSON.parse(r.body) as WebhookPayload,
      deliveryId: String(r.headers[DELIVERY_HEADER.toLowerCase()]),
    }))
    .filter((n) => n.payload.resource === resource);

const signedWithSecret = (n: Notification) =>
  verifySignature(n.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined, n.body, SECRET, Date.now() / 1000);

/** Poison events as the demo's traffic makes them, dead-lettered by SQS itself: one receive allowed, the next moves them. */
async function deadLetterPoison(count: number) {
  const pair = await deadLetterPair(sqs, "e2e-alerts", {
    maxReceiveCount: 1,
    sourceAttributes: { VisibilityTimeout: "0" },
  });
  const next = createOrderStream(Math.random, { poisonShare: 1, testShare: 0 });
  for (let i = 0; i < count; i++)
    await sqs.send(new SendMessageCommand({ QueueUrl: pair.sourceUrl, MessageBody: next().body }));
  await expect
    .poll(async () => {
      await sqs.send(new ReceiveMessageCommand({ QueueUrl: pair.sourceUrl, MaxNumberOfMessages: 10 }));
      return (await queueDepth(sqs, pair.dlqUrl)).visible;
    })
    .toBe(count);
  return pair;
}

async function signInOn(page: Page, replica: RunningConsole, path: string) {
  await page.goto(`${replica.url}${path}`);
  await expect(page).toHaveURL(/\/login/);
  await submitLogin(page, REPLICA_USER.username, REPLICA_USER.password);
  await expect(page.getByTestId("signed-in-user")).toContainText(REPLICA_USER.username);
}

test.describe("alerts from two replicas to a webhook", () => {
  test.describe.configure({ mode: "serial", timeout: 5 * 60_000 });
  let postgres: ThrowawayPostgres;
  let receiver: AlertReceiver;
  let a: RunningConsole;
  let b: RunningConsole;
  let onA: Client;
  let onB: Client;
  const logTo = createWriteStream(".test-output/e2e-alerts.log");

  test.beforeAll(async () => {
    test.setTimeout(3 * 60_000);
    postgres = await startThrowawayPostgres();
    receiver = await startAlertReceiver();
    const postgresUrl = await createDatabase(postgres.url, "alerts");
    const env = {
      FANOUT_ALERTS_WEBHOOK: `${receiver.url}/hook`,
      FANOUT_ALERTS_WEBHOOK_SECRET: SECRET,
      FANOUT_ALERTS_EVALUATE_SECONDS: "5",
    };
    const awsEndpoint = process.env.FANOUT_E2E_AWS_ENDPOINT!;
    const replica = (name: string) =>
      startReplica({ awsEndpoint, postgresUrl, replicaName: `alerts-${name}`, logTo, env });
    [a, b] = await Promise.all([replica("a"), replica("b")]);
    [onA, onB] = await Promise.all([signedIn(a.url), signedIn(b.url)]);
  });
  test.afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await receiver?.close();
    await postgres?.stop();
    logTo.end();
  });

  test("poison letters raise one signed alert, sent again after a 500, listed with its DLQ; a replay resolves it", async ({
    page,
  }) => {
    // The first notification about this file's DLQ is refused, as a receiver in trouble would.
    let refused: string | undefined;
    receiver.answerTo = (request) => {
      if (refused !== undefined || !request.body.includes("e2e-alerts-")) return undefined;
      refused = String(request.headers[DELIVERY_HEADER.toLowerCase()]);
      return { status: 500, body: "receiver restarting" };
    };
    const pair = await deadLetterPoison(3);

    await expect
      .poll(() => notificationsOf(receiver, pair.dlqArn).map((n) => n.status), { timeout: 90_000 })
      .toEqual([500, 200]);
    const [first, again] = notificationsOf(receiver, pair.dlqArn);
    // The same notification, tried twice, each try signed afresh.
    expect(again!.deliveryId).toBe(first!.deliveryId);
    expect(again!.body).toBe(first!.body);
    expect([first, again].every((n) => signedWithSecret(n!))).toBe(true);
    expect(signedWithSecret({ ...again!, body: again!.body.replace("firing", "resolved") })).toBe(false);
    expect(again!.payload).toMatchObject({
      status: "firing",
      rule: "dead-letters-arrived",
      environment: "default",
      region: "us-east-1",
      resource: pair.dlqArn,
      dedupKey: `default/us-east-1/dead-letters-arrived/${pair.dlqArn}`,
      summary: expect.stringContaining(`${pair.dlq} holds 3 dead letters`),
      link: expect.stringMatching(new RegExp(`/dead-letters/${pair.dlq}$`)),
    });
    expect(Date.parse(again!.payload.since)).not.toBeNaN();

    // Listed on the page, by either replica, with the link to its DLQ; the header counts it.
    await signInOn(page, b, "/alerts");
    const firing = page.getByRole("list", { name: "Firing alerts" });
    const item = firing.getByRole("listitem").filter({ hasText: pair.dlqArn });
    await expect(item).toContainText("Dead letters arrived");
    await expect(page.getByRole("link", { name: /alerts? firing/ })).toBeVisible();
    if (process.env.FANOUT_E2E_SCREENSHOTS) await page.screenshot({ path: ".test-output/screens/alerts.png" });
    await item.getByRole("link", { name: new RegExp(pair.dlq) }).click();
    await expect(page).toHaveURL(new RegExp(`/dead-letters/${pair.dlq}$`));
    // The DLQ's page leases its letters to the reader; leaving it gives them back before the replay, which
    // would otherwise wait for a lease it does not hold (a replay takes over only its requester's own).
    await expect(page.getByRole("status").filter({ hasText: "3 messages leased to you" })).toBeVisible();
    await page.getByRole("link", { name: "← All dead-letter queues" }).click();
    await expect.poll(async () => (await queueDepth(sqs, pair.dlqUrl)).visible).toBe(3);

    // The replay empties the DLQ (the source queue has no consumer): the alert resolves, told once.
    const { jobId } = (await onA.post(`/api/queues/${encodeURIComponent(pair.dlq)}/replay`, { all: true })) as {
      jobId: string;
    };
    await expect
      .poll(async () => ((await onA.get(`/api/redrive-jobs/${jobId}`)) as { status: string }).status, {
        timeout: 60_000,
      })
      .toBe("completed");
    await expect
      .poll(() => notificationsOf(receiver, pair.dlqArn).map((n) => `${n.payload.status} ${n.status}`), {
        timeout: 60_000,
      })
      .toEqual(["firing 500", "firing 200", "resolved 200"]);
    const resolved = notificationsOf(receiver, pair.dlqArn)[2]!;
    expect(signedWithSecret(resolved)).toBe(true);
    expect(resolved.payload).toMatchObject({ dedupKey: again!.payload.dedupKey, since: again!.payload.since });

    const recent = (await onB.get("/api/alerts")) as { recent: { resource: string; resolvedAt?: number }[] };
    expect(recent.recent.find((r) => r.resource === pair.dlqArn)?.resolvedAt).toBeDefined();

    // Two replicas, one notification: no notification was made twice, nor delivered twice.
    const delivered = receiver.received.filter((r) => r.status === 200);
    const ids = delivered.map((r) => String(r.headers[DELIVERY_HEADER.toLowerCase()]));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(delivered.map((r) => r.body)).size).toBe(delivered.length);
  });

  test("a silenced DLQ is evaluated and listed as silenced, and nobody is told", async () => {
    const silenced = await deadLetterPair(sqs, "e2e-alerts-silenced");
    const told = await deadLetterPair(sqs, "e2e-alerts-told");
    const { silence } = (await onA.post("/api/alerts/silences", {
      resource: silenced.dlqArn,
      reason: "known poison, the fix is deploying",
      minutes: 30,
    })) as { silence: { id: string } };
    await Promise.all([sendLetters(sqs, silenced.dlqUrl, 2), sendLetters(sqs, told.dlqUrl, 2)]);

    // The one not silenced is told; the silenced one is firing, held by the silence. Its state and its
    // notifications are written in one transaction, so once it is listed there is nothing in the outbox for it.
    await expect
      .poll(() => notificationsOf(receiver, told.dlqArn).filter((n) => n.status === 200).length, { timeout: 60_000 })
      .toBe(1);
    await expect
      .poll(async () => {
        const { firing } = (await onB.get("/api/alerts")) as {
          firing: { resource: string; silencedBy?: { id: string } }[];
        };
        return firing.find((f) => f.resource === silenced.dlqArn)?.silencedBy?.id;
      })
      .toBe(silence.id);
    expect(notificationsOf(receiver, silenced.dlqArn)).toEqual([]);
  });
});
