import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { awsCredentialsPresent } from "../lib/domain/aws-credentials-present";
import { commandConfig } from "./lib/command-config";
import { verifyEnvironment } from "../lib/operations/verify-environment";
import { contextFromConfig, systemActor } from "../lib/request-context";

/**
 * `npm run verify:aws` (opt-in): checks every configured environment against AWS with the console's
 * configuration: the account (assuming each environment's role), the reads, and in each
 * environment's first region a round trip through a scratch queue it creates and deletes. Prints
 * JSON; exits 1 when a step failed. Without AWS credentials it says it skipped, and exits 0.
 */
async function main() {
  const sharedFiles = ["credentials", "config"].some((f) => existsSync(path.join(os.homedir(), ".aws", f)));
  const force = process.argv.includes("--force");
  const config = commandConfig();
  const local = config.environments.every((e) => e.local);
  if (!force && !local && !awsCredentialsPresent(process.env, sharedFiles)) {
    console.log(
      JSON.stringify({
        skipped:
          "no AWS credentials found (AWS_PROFILE, AWS_ACCESS_KEY_ID, a web identity, a container endpoint or ~/.aws/); " +
          "on an instance with a role, run with --force",
      }),
    );
    return;
  }
  const results = [];
  for (const environment of config.environments) {
    for (const region of environment.regions) {
      const ctx = contextFromConfig(config, systemActor, undefined, { environment: environment.id, region });
      const steps = await verifyEnvironment(ctx, region === environment.regions[0]);
      results.push({ environment: environment.id, region, ok: steps.every((s) => s.ok), steps });
    }
  }
  const ok = results.every((r) => r.ok);
  console.log(JSON.stringify({ ok, environments: results }, null, 2));
  if (!ok) process.exitCode = 1;
}

void main();
