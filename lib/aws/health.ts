import "server-only";
import { sharedResult } from "../shared-result";
import { endpointLabel, type AwsClients } from "./clients";
import type { AwsContext } from "./context";
import { pingSns } from "./sns";
import { pingSqs } from "./sqs";
import { pingCloudWatch } from "./cloudwatch";
import { pingXRay } from "./xray";
import { pingLambda } from "./lambda";
import { callerAccount } from "./sts";
import { AppError } from "../domain/app-error";
import {
  checkedServices,
  type CheckedService,
  type EndpointHealth,
  type EnvironmentInfo,
  type ServiceStatus,
} from "../domain/environment";

export { checkedServices, type CheckedService, type EndpointHealth, type EnvironmentInfo, type ServiceStatus };

const pings: Record<CheckedService, (clients: AwsClients) => Promise<void>> = {
  sns: pingSns,
  sqs: pingSqs,
  cloudwatch: pingCloudWatch,
  xray: pingXRay,
  lambda: pingLambda,
};

/** Health is polled by every open console; a few seconds of staleness spares AWS the fan-in. */
const health = sharedResult("endpointHealth", 10_000, (_key, aws: AwsContext) => checkNow(aws));

async function checkNow(aws: AwsContext): Promise<EndpointHealth> {
  const clients = aws.probeClients;
  const errors: Partial<Record<CheckedService, string>> = {};
  const statuses = await Promise.all(
    checkedServices.map(async (service): Promise<ServiceStatus> => {
      try {
        await pings[service](clients);
        return "ok";
      } catch (err) {
        errors[service] = err instanceof Error ? err.message : String(err);
        return err instanceof AppError && err.code === "not_supported_by_endpoint" ? "not_supported" : "error";
      }
    }),
  );
  // In a fixed order, so the badge does not reshuffle between polls.
  const services = Object.fromEntries(checkedServices.map((s, i) => [s, statuses[i]!])) as Record<
    CheckedService,
    ServiceStatus
  >;
  return {
    endpoint: aws.endpoint ?? `AWS (${aws.region})`,
    region: aws.region,
    services,
    ...(Object.keys(errors).length ? { errors } : {}),
    checkedAt: new Date().toISOString(),
  };
}

/** One cheap call per service, shared by concurrent callers and cached briefly. */
export function checkEndpointHealth(aws: AwsContext): Promise<EndpointHealth> {
  return health.get(aws.key, aws);
}

const environments = sharedResult("environmentBadges", Infinity, (_key, aws: AwsContext) => describeNow(aws));

/** What the environment badge shows. The account is looked up once; it cannot change under a running console. */
export function describeEnvironment(aws: AwsContext): Promise<EnvironmentInfo> {
  return environments.get(aws.key, aws);
}

async function describeNow(aws: AwsContext): Promise<EnvironmentInfo> {
  if (aws.localMode) {
    const where = endpointLabel(aws);
    return {
      local: true,
      region: aws.region,
      label: `local · ${aws.localAwsName ? `${aws.localAwsName} at ` : ""}${where}`,
    };
  }
  const account = await callerAccount(aws.probeClients);
  return { local: false, region: aws.region, account, label: `${account ?? "account unknown"} · ${aws.region}` };
}
