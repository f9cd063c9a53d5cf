import "server-only";
import type { Environment, EnvironmentCredentials } from "../domain/environments";
import { processSingleton } from "../process-singleton";
import {
  getClients,
  type AwsSettings,
  type ClientCredentials,
  type CredentialsProvider,
  type TemporaryCredentials,
} from "./clients";
import { assumeRole } from "./sts";

/**
 * How an environment's clients sign: the SDK's default chain, a named profile (the client's own
 * `profile`, which the default chain reads as it reads AWS_PROFILE), or a role assumed with the
 * default chain's credentials and refreshed before it expires.
 */

/**
 * The SDK's own margin (its credential cache treats an identity expiring within 5 minutes as
 * expired); refreshing at the same point spares requests that would carry nearly expired keys.
 */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * A provider that keeps what `fetch` returned until 5 minutes before its expiration, with one
 * fetch in flight at a time whoever asks. A failed refresh falls back to the current credentials
 * while they have not expired yet; the next call tries again.
 */
export function refreshingCredentials(
  fetch: () => Promise<TemporaryCredentials>,
  clock: () => number = Date.now,
): CredentialsProvider {
  let current: TemporaryCredentials | undefined;
  let inFlight: Promise<TemporaryCredentials> | undefined;
  const validFor = (credentials: TemporaryCredentials, marginMs: number) =>
    credentials.expiration === undefined || clock() < credentials.expiration.getTime() - marginMs;

  return () => {
    if (current && validFor(current, REFRESH_BEFORE_EXPIRY_MS)) return Promise.resolve(current);
    inFlight ??= fetch()
      .then((fetched) => (current = fetched))
      .catch((err: unknown) => {
        if (current && validFor(current, 0)) return current;
        throw err;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}

/** One provider per role and the endpoint that assumes it, shared by every client of the process. */
const assumedRoles = processSingleton("assumedRoleCredentials", () => new Map<string, CredentialsProvider>());

function assumedRoleProvider(
  credentials: Extract<EnvironmentCredentials, { source: "assume-role" }>,
  source: AwsSettings,
): CredentialsProvider {
  const key = `${JSON.stringify(source.serviceEndpoints.sts)}|${source.region}|${JSON.stringify(credentials)}`;
  let provider = assumedRoles.get(key);
  if (!provider) {
    // The role is assumed with the default chain's credentials, through the environment's STS endpoint.
    const sourceClients = getClients(source);
    provider = refreshingCredentials(() => assumeRole(sourceClients, credentials));
    assumedRoles.set(key, provider);
  }
  return provider;
}

function clientCredentials(credentials: EnvironmentCredentials, source: AwsSettings): ClientCredentials | undefined {
  switch (credentials.source) {
    case "default":
      return undefined;
    case "profile":
      return { key: `profile:${credentials.profile}`, profile: credentials.profile };
    case "assume-role":
      return {
        key: `role:${credentials.roleArn}|${credentials.externalId ?? ""}|${credentials.sessionName}`,
        provider: assumedRoleProvider(credentials, source),
      };
  }
}

/** Where an environment's requests in one of its regions go, and how they sign: for awsContext/getClients. */
export function environmentAwsSettings(environment: Environment, region: string): AwsSettings {
  const source: AwsSettings = {
    region,
    endpoint: environment.endpoint,
    serviceEndpoints: environment.serviceEndpoints,
    localMode: environment.local,
  };
  const { id, name, accountId } = environment;
  return {
    ...source,
    credentials: clientCredentials(environment.credentials, source),
    expectedAccount: accountId === undefined ? undefined : { id, name, accountId },
  };
}
