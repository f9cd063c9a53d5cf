import type { TestProject } from "vitest/node";
import { loadConfig } from "../lib/env";
import { startMoto } from "../infra/local";
import { findFreePort } from "../scripts/lib/processes";
import { createWriteStream, mkdirSync } from "node:fs";

declare module "vitest" {
  export interface ProvidedContext {
    awsEndpoint: string;
  }
}

/**
 * Starts a moto server of the suite's own on a free loopback port. The suite refuses to run if
 * any service's effective endpoint would leave this machine (an AWS_ENDPOINT_URL_<SERVICE> left set).
 */
export default async function setup(project: TestProject) {
  const port = await findFreePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const config = loadConfig({ ...process.env, AWS_ENDPOINT_URL: endpoint, AWS_REGION: "us-east-1" });
  if (!config.localMode) {
    throw new Error(
      `Integration tests only run against a local endpoint, but these services point elsewhere: ${Object.entries(
        config.serviceEndpoints,
      )
        .filter(([, e]) => e !== endpoint)
        .map(([s, e]) => `${s} → ${e}`)
        .join(", ")}. Unset those AWS_ENDPOINT_URL_* variables.`,
    );
  }
  mkdirSync(".test-output", { recursive: true });
  const moto = await startMoto({ port, logTo: createWriteStream(".test-output/integration-moto.log") });
  project.provide("awsEndpoint", endpoint);
  return () => moto.stop();
}
