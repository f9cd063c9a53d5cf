import { createWriteStream } from "node:fs";
import { SQSClient } from "@aws-sdk/client-sqs";
import { expect, test } from "@playwright/test";
import { createDatabase, startThrowawayPostgres, type ThrowawayPostgres } from "../scripts/lib/postgres";
import { runFailoverScenario } from "../test/failover-scenario";
import { deadLetterQueueWith, drain, queueDepth } from "../test/queues";
import { attemptSignIn, REPLICA_USER, signedIn, startReplica } from "../test/replicas";

// Team mode: two console processes on one PostgreSQL. A 1,000-letter redrive is started through
// replica A, A is killed with SIGKILL mid-job, and replica B finishes it from the store's record.
test.describe("two console replicas on one PostgreSQL", () => {
  test.describe.configure({ timeout: 15 * 60_000 });
  let postgres: ThrowawayPostgres;
  const logTo = createWriteStream(".test-output/e2e-replicas.log");

  test.beforeAll(async () => {
    postgres = await startThrowawayPostgres();
  });
  test.afterAll(async () => {
    await postgres?.stop();
    logTo.end();
  });

  // Standard and FIFO at once: each has its own queues, database and pair of consoles, and both
  // spend most of their time waiting (for a stale claim, for letters the dead replica hid).
  test("a replica killed mid-redrive is replaced, and no letter is lost, standard or FIFO", async () => {
    const [standard, fifo] = await Promise.all(
      [false, true].map(async (isFifo) =>
        runFailoverScenario({
          awsEndpoint: process.env.FANOUT_E2E_AWS_ENDPOINT!,
          postgresUrl: await createDatabase(postgres.url, isFifo ? "fifo" : "standard"),
          messages: 1000,
          fifo: isFifo,
          logTo,
        }),
      ),
    );
    console.log(`[replicas] standard: ${JSON.stringify(standard)}`);
    console.log(`[replicas] FIFO: ${JSON.stringify(fifo)}`);
    for (const result of [standard!, fifo!]) {
      expect(result.movedWhenKilled).toBeLessThan(1000);
      expect(result.status).toBe("completed");
      expect(result.lost).toBe(0);
      // B took the job over and moved letters after A died (how soon is the benchmark's to measure).
      expect(result.takeoverSeconds).not.toBeNaN();
      expect(result.firstProgressSeconds).not.toBeNaN();
      // The replay was audited through A and its end by B, in one trail.
      expect(result.auditedByBoth).toBe(true);
    }
    // FIFO: each letter exactly once, and in its group's order.
    expect(fifo!.duplicated).toBe(0);
    expect(fifo!.outOfOrder).toBe(0);
  });

  // Behind a load balancer without sticky sessions, each request may reach either replica.
  test("a dead-letter lease opened on A is renewed, used and released on B, and a sign-in limit counts attempts on both", async () => {
    const awsEndpoint = process.env.FANOUT_E2E_AWS_ENDPOINT!;
    const postgresUrl = await createDatabase(postgres.url, "shared_lease");
    const [a, b] = await Promise.all(
      ["a", "b"].map((name) => startReplica({ awsEndpoint, postgresUrl, replicaName: `shared-${name}`, logTo })),
    );
    try {
      const sqs = new SQSClient({
        region: "us-east-1",
        endpoint: awsEndpoint,
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
      });
      const pair = await deadLetterQueueWith(sqs, "shared-lease", 6);
      const dlq = `/api/queues/${encodeURIComponent(pair.dlq)}`;
      const [onA, onB] = await Promise.all([signedIn(a!.url), signedIn(b!.url)]);

      const view = (await onA.get(`${dlq}/messages?max=10`)) as {
        expiresAt: string;
        messages: { messageId: string }[];
      };
      const ids = view.messages.map((m) => m.messageId);
      expect(ids).toHaveLength(6);
      expect(((await onB.get(`${dlq}/leases`)) as { yours: number }).yours).toBe(6);
      const renewed = (await onB.post(`${dlq}/lease/renew`)) as { expiresAt: string };
      expect(Date.parse(renewed.expiresAt)).toBeGreaterThan(Date.parse(view.expiresAt));

      // Two replayed and one deleted through B, from the letters A received.
      const { jobId } = (await onB.post(`${dlq}/replay`, { messageIds: ids.slice(0, 2) })) as { jobId: string };
      await expect
        .poll(async () => ((await onA.get(`/api/redrive-jobs/${jobId}`)) as { status: string }).status, {
          timeout: 60_000,
        })
        .toBe("completed");
      expect(
        ((await onB.post(`${dlq}/messages/delete`, { messageIds: [ids[2]] })) as { deleted: string[] }).deleted,
      ).toEqual([ids[2]]);
      expect(((await onB.post(`${dlq}/lease/release`)) as { released: number }).released).toBe(3);
      expect(((await onA.get(`${dlq}/leases`)) as { yours: number }).yours).toBe(0);
      expect(await queueDepth(sqs, pair.dlqUrl)).toEqual({ visible: 3, inFlight: 0 });
      expect((await drain(sqs, pair.sourceUrl)).map((m) => m.MessageId)).toHaveLength(2);

      // Five failures, three through A and two through B, use up the user's limit on both.
      const attempt = (base: string, password = "wrong") => attemptSignIn(base, REPLICA_USER.username, password);
      for (const base of [a!.url, b!.url, a!.url, b!.url, a!.url])
        expect(await attempt(base)).toEqual({ error: "CredentialsSignin" });
      expect(await attempt(b!.url)).toEqual({ error: "TooManyAttempts" });
      expect(await attempt(a!.url, REPLICA_USER.password)).toEqual({ error: "TooManyAttempts" });
    } finally {
      await Promise.all([a?.stop(), b?.stop()]);
    }
  });
});
