import { createWriteStream, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startMoto } from "../infra/local";
import { findFreePort } from "../scripts/lib/processes";
import { ensureBuild, localConsoleEnv, startConsole } from "../scripts/lib/console";
import { startPipelineProcess } from "../scripts/lib/pipeline-process";
import { startFaultProxy } from "../test/fault-proxy";
import { e2eEnvironments, seedPipeline, seedStaging } from "./seed";
import { usersFileContent } from "./users";

/**
 * Starts moto, a fault proxy in front of it, the pipeline of infra/ deployed to it (no traffic;
 * its Lambda API serves the functions), a small staging pipeline in a second account and region,
 * and the built console pointed at the proxy with both environments, all on free
 * loopback ports. Tests reach the console through FANOUT_E2E_BASE_URL, switch the proxy's
 * faults through FANOUT_E2E_FAULT_URL and edit the users file in FANOUT_E2E_DATA_DIR.
 */
export default async function globalSetup() {
  mkdirSync(".test-output", { recursive: true });
  const log = createWriteStream(".test-output/e2e-servers.log");
  const moto = await startMoto({ port: await findFreePort(), logTo: log });
  const proxy = await startFaultProxy(moto.endpoint);
  const seeded = await seedPipeline(moto.endpoint);
  const staging = await seedStaging(moto.endpoint);
  const pipeline = await startPipelineProcess(moto.endpoint, log);
  process.env.FANOUT_E2E_PIPELINE = JSON.stringify(pipeline.info);
  process.env.FANOUT_E2E_TOPIC_ARN = seeded.topicArn;
  process.env.FANOUT_E2E_SUBSCRIPTION_ARN = seeded.inventorySubscriptionArn;
  process.env.FANOUT_E2E_STAGING_SUBSCRIPTION_ARN = staging.subscriptionArn;
  process.env.FANOUT_E2E_STAGING_INVENTORY_SUBSCRIPTION_ARN = staging.inventorySubscriptionArn;
  ensureBuild();
  const port = await findFreePort();
  // Users come from the data dir's users file, hashed, as in the demo, so tests can edit it live.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "fanout-e2e-"));
  writeFileSync(path.join(dataDir, "users.json"), usersFileContent());
  const server = await startConsole({
    host: "127.0.0.1",
    port,
    logTo: log,
    env: {
      ...localConsoleEnv({ port, awsEndpoint: proxy.url, lambdaEndpoint: pipeline.info.lambdaEndpoint, dataDir }),
      FANOUT_MASK_FIELDS: "customer.email",
      // Two environments on the one moto: production (the default, as the unscoped pages act) and staging.
      FANOUT_ENVIRONMENTS: e2eEnvironments(proxy.url, pipeline.info.lambdaEndpoint),
    },
  });
  process.env.FANOUT_E2E_BASE_URL = server.url;
  process.env.FANOUT_E2E_FAULT_URL = `${proxy.url}/__fault`;
  process.env.FANOUT_E2E_AWS_ENDPOINT = proxy.url;
  process.env.FANOUT_E2E_DATA_DIR = dataDir;
  return async () => {
    await server.stop();
    await pipeline.stop();
    await proxy.close();
    await moto.stop();
    log.end();
  };
}
