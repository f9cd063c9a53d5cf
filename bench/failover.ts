/**
 * `npm run -s bench:failover [-- N] [-- --fifo] [-- --same-machine]`: two console replicas on a
 * throwaway PostgreSQL of its own and a moto of its own; a redrive of N dead letters (default
 * 1,000) started through one, which is killed with SIGKILL a third of the way; the other finishes
 * it. The replicas stand for two machines (B learns of A's death only when A's claim goes stale)
 * unless `--same-machine` (B sees A's process gone at once). Prints
 * `{ messages, lost, duplicated, outOfOrder, takeoverSeconds, backend: "postgresql", … }`; the aim
 * is lost 0 (and on FIFO duplicated 0, outOfOrder 0), takeover under 45 s.
 */
import { createWriteStream, mkdirSync } from "node:fs";
import { startMoto } from "../infra/local";
import { ensureBuild } from "../scripts/lib/console";
import { findFreePort } from "../scripts/lib/processes";
import { createDatabase, startThrowawayPostgres } from "../scripts/lib/postgres";
import { runFailoverScenario } from "../test/failover-scenario";

async function main() {
  const args = process.argv.slice(2);
  const fifo = args.includes("--fifo");
  const sameMachine = args.includes("--same-machine");
  const messages = Number(args.find((a) => /^\d+$/.test(a)) ?? 1000);
  mkdirSync(".test-output", { recursive: true });
  const logTo = createWriteStream(".test-output/bench-failover.log");
  ensureBuild();
  const postgres = await startThrowawayPostgres();
  const moto = await startMoto({ port: await findFreePort(), logTo });
  try {
    const result = await runFailoverScenario({
      awsEndpoint: moto.endpoint,
      postgresUrl: await createDatabase(postgres.url, "failover"),
      messages,
      fifo,
      sameMachine,
      logTo,
    });
    console.log(JSON.stringify({ ...result, queue: fifo ? "fifo" : "standard", sameMachine }, null, 2));
  } finally {
    await moto.stop();
    await postgres.stop();
    logTo.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
