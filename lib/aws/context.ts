import "server-only";
import { environmentKey, getClients, type AwsClients, type AwsSettings } from "./clients";

export type { AwsSettings } from "./clients";

/**
 * The AWS side a request acts on: one environment in one region. Nothing in lib/aws keeps a
 * "current environment": every cache files its entries under `key`.
 */
export interface AwsContext extends AwsSettings {
  /** Names the environment in every cache key (its id, endpoints, region and credentials). */
  key: string;
  /** Clients that retry (standard mode): for the requests themselves. */
  clients: AwsClients;
  /** Clients with a single attempt and short timeouts: for probes and health checks, which want the first answer. */
  probeClients: AwsClients;
}

/**
 * The context of an environment in one region; its clients are built once per process and shared.
 * The id joins the key: two environments on the same account keep their own settings (objectives, masks).
 */
export function awsContext(settings: AwsSettings, environmentId: string): AwsContext {
  return {
    region: settings.region,
    endpoint: settings.endpoint,
    serviceEndpoints: settings.serviceEndpoints,
    localMode: settings.localMode,
    localAwsName: settings.localAwsName,
    key: `${environmentId}|${environmentKey(settings)}`,
    clients: getClients(settings, "default", environmentId),
    probeClients: getClients(settings, "single-attempt", environmentId),
  };
}
