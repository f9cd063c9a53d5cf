import "server-only";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { XRayClient } from "@aws-sdk/client-xray";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { STSClient } from "@aws-sdk/client-sts";
import { getConfig, type AwsService, type Config } from "../env";

export interface AwsClients {
  sns: SNSClient;
  sqs: SQSClient;
  cloudwatch: CloudWatchClient;
  xray: XRayClient;
  lambda: LambdaClient;
  sts: STSClient;
}

export type ClientMode = "default" | "single-attempt";

/** Where each service's requests go, for logs and the environment badge. */
export function endpointLabel(config: Config, service: AwsService = "sqs"): string {
  const endpoint = config.serviceEndpoints[service];
  return endpoint ? new URL(endpoint).host : `AWS ${config.region}`;
}

function commonOptions(config: Config, service: AwsService, mode: ClientMode) {
  // Against a local emulator there is usually no credential chain at all; any key signs for it.
  const localKeys =
    config.localMode && !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE
      ? { credentials: { accessKeyId: "test", secretAccessKey: "test" } }
      : {};
  return {
    region: config.region,
    endpoint: config.serviceEndpoints[service],
    ...localKeys,
    retryMode: "standard",
    // Probes and health checks want the endpoint's first answer: the SDK would retry a 500 three times.
    maxAttempts: mode === "single-attempt" ? 1 : 3,
    requestHandler: {
      connectionTimeout: 3_000,
      requestTimeout: mode === "single-attempt" ? 5_000 : 15_000,
    },
  } as const;
}

function buildClients(config: Config, mode: ClientMode): AwsClients {
  return {
    sns: new SNSClient(commonOptions(config, "sns", mode)),
    // Never take the request's host from a queue URL: URLs can come from user input (SSRF).
    sqs: new SQSClient({ ...commonOptions(config, "sqs", mode), useQueueUrlAsEndpoint: false }),
    cloudwatch: new CloudWatchClient(commonOptions(config, "cloudwatch", mode)),
    xray: new XRayClient(commonOptions(config, "xray", mode)),
    lambda: new LambdaClient(commonOptions(config, "lambda", mode)),
    sts: new STSClient(commonOptions(config, "sts", mode)),
  };
}

const cache = new Map<string, AwsClients>();

/** Clients for the configured endpoints, built once per process and mode. */
export function getClients(mode: ClientMode = "default", config: Config = getConfig()): AwsClients {
  const key = `${mode}|${JSON.stringify(config.serviceEndpoints)}|${config.region}`;
  let clients = cache.get(key);
  if (!clients) {
    clients = buildClients(config, mode);
    cache.set(key, clients);
  }
  return clients;
}
