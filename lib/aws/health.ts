import "server-only";
import { getConfig, type Config } from "../env";
import { getClients, endpointLabel, type AwsClients } from "./clients";
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
const healthTtlMs = 10_000;
const cache = new Map<string, { at: number; value: Promise<EndpointHealth> }>();

async function checkNow(config: Config): Promise<EndpointHealth> {
  const clients = getClients("single-attempt", config);
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
    endpoint: config.endpoint ?? `AWS (${config.region})`,
    region: config.region,
    services,
    ...(Object.keys(errors).length ? { errors } : {}),
    checkedAt: new Date().toISOString(),
  };
}

/** One cheap call per service, shared by concurrent callers and cached briefly. */
export function checkEndpointHealth(config: Config = getConfig()): Promise<EndpointHealth> {
  const key = JSON.stringify([config.region, config.serviceEndpoints]);
  const now = Date.now();
  let entry = cache.get(key);
  if (!entry || now - entry.at > healthTtlMs) {
    entry = { at: now, value: checkNow(config) };
    cache.set(key, entry);
  }
  return entry.value;
}

let environment: Promise<EnvironmentInfo> | undefined;

/** What the environment badge shows. The account is looked up once; it cannot change under a running console. */
export function describeEnvironment(config: Config = getConfig()): Promise<EnvironmentInfo> {
  environment ??= (async () => {
    if (config.localMode) {
      const where = endpointLabel(config);
      return {
        local: true,
        region: config.region,
        label: `local · ${config.localAwsName ? `${config.localAwsName} at ` : ""}${where}`,
      };
    }
    const account = await callerAccount(getClients("single-attempt", config));
    return {
      local: false,
      region: config.region,
      account,
      label: `${account ?? "account unknown"} · ${config.region}`,
    };
  })();
  return environment;
}
