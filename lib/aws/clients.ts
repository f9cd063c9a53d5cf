import "server-only";
import { processSingleton } from "../process-singleton";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { XRayClient } from "@aws-sdk/client-xray";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { STSClient } from "@aws-sdk/client-sts";
import type { AwsService } from "../domain/aws-services";
import { verifiedAccount } from "./sts";

/** The SDK clients of one environment; they carry its key and region for the caches and probes that use them. */
export interface AwsClients {
  /** The environment's key (AwsContext.key): capability verdicts and cached answers are filed under it. */
  environment: string;
  region: string;
  sns: SNSClient;
  sqs: SQSClient;
  cloudwatch: CloudWatchClient;
  xray: XRayClient;
  lambda: LambdaClient;
  sts: STSClient;
  /**
   * Resolves once the credentials are known to reach the environment's configured account (asked of
   * STS on first use, then remembered); callAws awaits it before any other service's call.
   */
  accountCheck?: () => Promise<unknown>;
}

export type ClientMode = "default" | "single-attempt";

/** Where the requests of one environment go: the configuration's AWS part, as the request context holds it. */
export interface AwsSettings {
  region: string;
  /** The general endpoint; undefined means AWS itself through the default credential chain. */
  endpoint?: string;
  /** The endpoint each service really uses. */
  serviceEndpoints: Record<AwsService, string | undefined>;
  /** Every effective endpoint is loopback. */
  localMode: boolean;
  /** What the demo started behind the endpoint (e.g. `moto`), for the environment badge. */
  localAwsName?: string;
  /** How the clients sign; undefined is the SDK's default chain (lib/aws/credentials.ts builds the others). */
  credentials?: ClientCredentials;
  /** The environment whose configured account the credentials must reach; a mismatch is an error, never a switch. */
  expectedAccount?: { id: string; name: string; accountId: string };
}

/** What the SDK's clients are given to sign with, structurally the SDK's AwsCredentialIdentity. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export type CredentialsProvider = () => Promise<TemporaryCredentials>;

export interface ClientCredentials {
  /** Names the credentials in cache keys (never a secret): they decide the account the clients reach. */
  key: string;
  /** A profile of ~/.aws/config or ~/.aws/credentials, read by the SDK's default chain. */
  profile?: string;
  provider?: CredentialsProvider;
}

/**
 * Names an environment's AWS side in every cache key: the endpoints, the region and, when they are
 * not the default chain's, the credentials and the account they must reach.
 */
export function environmentKey(settings: AwsSettings): string {
  const credentials = settings.credentials ? `|${settings.credentials.key}` : "";
  const account = settings.expectedAccount ? `|${settings.expectedAccount.accountId}` : "";
  return `${JSON.stringify(settings.serviceEndpoints)}|${settings.region}${credentials}${account}`;
}

/** Where each service's requests go, for logs and the environment badge. */
export function endpointLabel(config: AwsSettings, service: AwsService = "sqs"): string {
  const endpoint = config.serviceEndpoints[service];
  return endpoint ? new URL(endpoint).host : `AWS ${config.region}`;
}

function commonOptions(config: AwsSettings, service: AwsService, mode: ClientMode) {
  // Against a local emulator there is usually no credential chain at all; any key signs for it.
  const localKeys =
    config.localMode && !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE
      ? { credentials: { accessKeyId: "test", secretAccessKey: "test" } }
      : {};
  const { provider, profile } = config.credentials ?? {};
  // A client's `profile` is what AWS_PROFILE is to the default chain, for this client only.
  const signing = provider ? { credentials: provider } : profile ? { profile } : localKeys;
  return {
    region: config.region,
    endpoint: config.serviceEndpoints[service],
    ...signing,
    retryMode: "standard",
    // Probes and health checks want the endpoint's first answer: the SDK would retry a 500 three times.
    maxAttempts: mode === "single-attempt" ? 1 : 3,
    requestHandler: {
      connectionTimeout: 3_000,
      requestTimeout: mode === "single-attempt" ? 5_000 : 15_000,
    },
  } as const;
}

function buildClients(config: AwsSettings, mode: ClientMode, environment: string): AwsClients {
  const clients: AwsClients = {
    environment,
    region: config.region,
    sns: new SNSClient(commonOptions(config, "sns", mode)),
    // Never take the request's host from a queue URL: URLs can come from user input (SSRF).
    sqs: new SQSClient({ ...commonOptions(config, "sqs", mode), useQueueUrlAsEndpoint: false }),
    cloudwatch: new CloudWatchClient(commonOptions(config, "cloudwatch", mode)),
    xray: new XRayClient(commonOptions(config, "xray", mode)),
    lambda: new LambdaClient(commonOptions(config, "lambda", mode)),
    sts: new STSClient(commonOptions(config, "sts", mode)),
  };
  const expected = config.expectedAccount;
  if (expected) clients.accountCheck = () => verifiedAccount(expected, clients);
  return clients;
}

const cache = processSingleton("awsClients", () => new Map<string, AwsClients>());

/**
 * Clients for an environment's endpoints, built once per process, environment and mode. The
 * environment's id joins their key (AwsClients.environment, which is AwsContext.key): what is
 * cached for one environment stays its own, even beside another configured alike.
 */
export function getClients(config: AwsSettings, mode: ClientMode = "default", environmentId = ""): AwsClients {
  const environment = `${environmentId}|${environmentKey(config)}`;
  const key = `${mode}|${environment}`;
  let clients = cache.get(key);
  if (!clients) {
    clients = buildClients(config, mode, environment);
    cache.set(key, clients);
  }
  return clients;
}
