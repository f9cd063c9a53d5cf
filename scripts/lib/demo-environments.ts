import path from "node:path";
import { dump } from "js-yaml";
import {
  assumedRoleCredentials,
  createAssumableRole,
  defaultAccountId,
  defaultTraffic,
  startLocalPipeline,
  type LocalPipeline,
  type TrafficOptions,
} from "../../infra/local";
import { writePrivateFile } from "./demo-users";

/**
 * The demo's two environments on its one moto: production in moto's default account, staging in a
 * second account in another region. Each has a role the console assumes (the environments file
 * written here) and the pipeline of infra/ running in it with traffic of its own.
 */

export interface DemoEnvironment {
  id: string;
  name: string;
  kind: "production" | "staging";
  accountId: string;
  region: string;
  /** What the role's trust policy requires of whoever assumes it (sts:ExternalId). */
  externalId: string;
  traffic: TrafficOptions;
}

/** Production first: the console's default environment. Staging fails more, so the two look different. */
export const demoEnvironments: readonly DemoEnvironment[] = [
  {
    id: "production",
    name: "Production",
    kind: "production",
    accountId: defaultAccountId,
    region: "us-east-1",
    externalId: "fanout-demo-production",
    traffic: defaultTraffic,
  },
  {
    id: "staging",
    name: "Staging",
    kind: "staging",
    accountId: "222222222222",
    region: "eu-west-1",
    externalId: "fanout-demo-staging",
    traffic: { rate: 1, poisonShare: 0.3, testShare: 0.2 },
  },
];

/** The role the console assumes in each environment's account. */
export const consoleRoleName = "fanout-console";
export const consoleRoleArn = (environment: DemoEnvironment) =>
  `arn:aws:iam::${environment.accountId}:role/${consoleRoleName}`;

export const environmentsFileName = "environments.yaml";

/** The console's FANOUT_ENVIRONMENTS entries (README, "Environments") for the demo's endpoint. */
export function environmentsFileEntries(awsEndpoint: string) {
  return demoEnvironments.map((environment) => ({
    id: environment.id,
    name: environment.name,
    accountId: environment.accountId,
    regions: [environment.region],
    kind: environment.kind,
    endpoint: awsEndpoint,
    credentials: {
      source: "assume-role",
      roleArn: consoleRoleArn(environment),
      externalId: environment.externalId,
    },
  }));
}

/** Writes the environments file into the data dir, for FANOUT_ENVIRONMENTS; returns its path. */
export function writeEnvironmentsFile(dataDir: string, awsEndpoint: string): string {
  const file = path.join(dataDir, environmentsFileName);
  const header = [
    "# The demo's environments, rewritten by every `npm run demo` for its own local AWS endpoint.",
    '# README.md, "Environments", describes each field.',
  ];
  writePrivateFile(file, `${header.join("\n")}\n${dump(environmentsFileEntries(awsEndpoint), { lineWidth: -1 })}`);
  return file;
}

/**
 * Runs the pipeline in one environment: the console's role is created in the environment's account
 * (trusting the console's own account, moto's default) and assumed, and the pipeline is deployed
 * and run with the role's credentials in the environment's region, its Lambda service reachable on
 * the endpoint for that account and region.
 */
export async function startDemoEnvironment(
  awsEndpoint: string,
  environment: DemoEnvironment,
  options: { poisonSummaryIntervalMs: number; log: (component: string, line: string) => void },
): Promise<LocalPipeline> {
  const roleArn = await createAssumableRole({
    awsEndpoint,
    accountId: environment.accountId,
    region: environment.region,
    roleName: consoleRoleName,
    trustedAccountId: defaultAccountId,
    externalId: environment.externalId,
  });
  return startLocalPipeline({
    awsEndpoint,
    lambdaPort: 0,
    region: environment.region,
    // On AWS the pipeline's own services act in the account; locally any credentials of it do.
    credentials: assumedRoleCredentials({
      awsEndpoint,
      region: environment.region,
      roleArn,
      externalId: environment.externalId,
      sessionName: "fanout-local-pipeline",
    }),
    lambdaOnAwsEndpoint: true,
    traffic: environment.traffic,
    poisonSummaryIntervalMs: options.poisonSummaryIntervalMs,
    log: options.log,
  });
}
