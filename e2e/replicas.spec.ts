import { createWriteStream } from "node:fs";
import { expect, test } from "@playwright/test";
import { createDatabase, startThrowawayPostgres, type ThrowawayPostgres } from "../scripts/lib/postgres";
import { runFailoverScenario } from "../test/failover-scenario";

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
});
