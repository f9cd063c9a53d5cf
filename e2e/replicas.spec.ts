import { createWriteStream } from "node:fs";
import { expect, test } from "@playwright/test";
import { createDatabase, startThrowawayPostgres, type ThrowawayPostgres } from "../scripts/lib/postgres";
import { runFailoverScenario } from "../test/failover-scenario";

// Team mode: two console processes on one PostgreSQL. A 1,000-letter redrive is started through
// replica A, A is killed with SIGKILL mid-job, and replica B finishes it from the store's record.
test.describe("two console replicas on one PostgreSQL", () => {
  test.describe.configure({ mode: "serial", timeout: 12 * 60_000 });
  let postgres: ThrowawayPostgres;
  const logTo = createWriteStream(".test-output/e2e-replicas.log");

  test.beforeAll(async () => {
    postgres = await startThrowawayPostgres();
  });
  test.afterAll(async () => {
    await postgres?.stop();
    logTo.end();
  });

  for (const fifo of [false, true]) {
    test(`a replica killed mid-redrive is replaced, and no ${fifo ? "FIFO" : "standard"} letter is lost`, async () => {
      const result = await runFailoverScenario({
        awsEndpoint: process.env.FANOUT_E2E_AWS_ENDPOINT!,
        postgresUrl: await createDatabase(postgres.url, fifo ? "fifo" : "standard"),
        messages: 1000,
        fifo,
        logTo,
      });
      console.log(`[replicas] ${fifo ? "FIFO" : "standard"}: ${JSON.stringify(result)}`);
      expect(result.movedWhenKilled).toBeLessThan(1000);
      expect(result.status).toBe("completed");
      expect(result.lost).toBe(0);
      // B moved letters after A died (how soon is the benchmark's to measure).
      expect(result.takeoverSeconds).not.toBeNaN();
      if (fifo) {
        // Each letter exactly once, and in its group's order.
        expect(result.duplicated).toBe(0);
        expect(result.outOfOrder).toBe(0);
      }
      // The replay was audited through A and its end by B, in one trail.
      expect(result.auditedByBoth).toBe(true);
    });
  }
});
