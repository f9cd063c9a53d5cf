import { expect, test } from "@playwright/test";
import { copyFileSync, createWriteStream, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { startConsole, type RunningConsole } from "../scripts/lib/console";
import { findFreePort } from "../scripts/lib/processes";
import { queueArn, queueDepth, sendLetters } from "../test/queues";
import { signIn, userByRole } from "./helpers";
import { e2eEnvironments } from "./seed";

/**
 * A redrive job survives a restart of the console: a second console of its own (same AWS, its
 * own data dir) starts a slow job, is stopped halfway, and started again; the job picks up where
 * it stopped and every dead letter ends up back in the source queue exactly once.
 */
test("a redrive job picks up where it stopped after the console restarts", async ({ page }) => {
  test.setTimeout(240_000);
  const sqs = new SQSClient({
    region: "us-east-1",
    endpoint: process.env.FANOUT_E2E_AWS_ENDPOINT,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  /** Messages in a queue, visible or in flight. */
  const depth = async (url: string) => {
    const { visible, inFlight } = await queueDepth(sqs, url);
    return visible + inFlight;
  };
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "e2e-restart-dlq" }))).QueueUrl!;
  const redrivePolicy = { deadLetterTargetArn: await queueArn(sqs, dlqUrl), maxReceiveCount: 3 };
  const sourceUrl = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: "e2e-restart",
        Attributes: { RedrivePolicy: JSON.stringify(redrivePolicy) },
      }),
    )
  ).QueueUrl!;
  await sendLetters(sqs, dlqUrl, 40, "dead letter");

  const dataDir = mkdtempSync(path.join(os.tmpdir(), "fanout-e2e-restart-"));
  copyFileSync(path.join(process.env.FANOUT_E2E_DATA_DIR!, "users.json"), path.join(dataDir, "users.json"));
  const port = await findFreePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    AWS_ENDPOINT_URL: process.env.FANOUT_E2E_AWS_ENDPOINT,
    AWS_REGION: "us-east-1",
    // The e2e console's environments (its users have roles in staging); the job acts in production, the default.
    FANOUT_ENVIRONMENTS: e2eEnvironments(
      process.env.FANOUT_E2E_AWS_ENDPOINT!,
      (JSON.parse(process.env.FANOUT_E2E_PIPELINE!) as { lambdaEndpoint: string }).lambdaEndpoint,
    ),
    PORT: String(port),
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    FANOUT_DATA_DIR: dataDir,
  };
  const logTo = createWriteStream(".test-output/e2e-restart-console.log");
  let console: RunningConsole | undefined = await startConsole({ host: "127.0.0.1", port, env, logTo });
  try {
    await signIn(page, userByRole("operator"), `${console.url}/dead-letters`);
    const started = await page.request.post(`${console.url}/api/queues/e2e-restart-dlq/replay`, {
      data: { all: true, ratePerSecond: 2 },
      headers: { origin: console.url },
    });
    expect(started.status()).toBe(202);
    const { jobId } = (await started.json()) as { jobId: string };
    const job = async () =>
      (await (await page.request.get(`${console!.url}/api/redrive-jobs/${jobId}`)).json()) as {
        status: string;
        moved: number;
        resent: number;
        engine: string;
      };
    await expect.poll(async () => (await job()).moved, { timeout: 60_000 }).toBeGreaterThanOrEqual(3);

    await console.stop();
    console = undefined;
    const movedBeforeRestart = 40 - (await depth(dlqUrl));
    expect(movedBeforeRestart).toBeLessThan(40);

    console = await startConsole({ host: "127.0.0.1", port, env, logTo });
    // Only the job's own route is asked: it does not start jobs, so the console's start-up did.
    await expect.poll(async () => (await job()).status, { timeout: 150_000, intervals: [1000] }).toBe("completed");
    const finished = await job();
    expect(finished).toMatchObject({ moved: 40, engine: "fanout", environment: "production", region: "us-east-1" });
    expect(await depth(dlqUrl)).toBe(0);
    // A stop in the instant between SQS taking a batch and the store recording it resends that
    // batch: on a standard queue those are the only possible duplicates, and the job counts them.
    expect(await depth(sourceUrl)).toBe(40 + finished.resent);
  } finally {
    await console?.stop();
  }
});
