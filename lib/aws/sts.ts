import "server-only";
import { sharedResult } from "../shared-result";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { AppError } from "../domain/app-error";
import { accountMismatchMessage, type Environment } from "../domain/environments";
import type { AwsClients, TemporaryCredentials } from "./clients";
import { callAws } from "./call";

/** The account the credentials belong to; callers use the cached `callerAccount`. */
async function getAccountId(clients: AwsClients): Promise<string | undefined> {
  const identity = await callAws(clients, "sts", "GetCallerIdentity", () =>
    clients.sts.send(new GetCallerIdentityCommand({})),
  );
  return identity.Account;
}

const accounts = sharedResult(
  "callerAccounts",
  Infinity,
  (_key, clients: AwsClients) => getAccountId(clients).catch(() => undefined),
  (account) => account !== undefined,
);

/**
 * The credentials' account, read once per environment; undefined when the endpoint cannot say (a
 * failure is not remembered, so the next call asks again).
 */
export function callerAccount(clients: AwsClients): Promise<string | undefined> {
  return accounts.get(clients.environment, clients);
}

/**
 * The credentials' account if STS has already named it, without waiting: undefined until then, and
 * the question is asked in the background so that the next caller knows (a failure is not kept).
 */
export function knownCallerAccount(clients: AwsClients): string | undefined {
  const known = accounts.peek(clients.environment);
  if (known === undefined) void callerAccount(clients);
  return known;
}

const verifiedAccounts = sharedResult(
  "verifiedAccounts",
  Infinity,
  async (
    _key,
    { environment, clients }: { environment: Pick<Environment, "id" | "name" | "accountId">; clients: AwsClients },
  ) => {
    const actual = await getAccountId(clients);
    if (actual === undefined) {
      throw new AppError(
        "upstream_unavailable",
        `Environment "${environment.id}": sts:GetCallerIdentity named no account.`,
      );
    }
    if (environment.accountId !== undefined && actual !== environment.accountId) {
      // 409: the configuration conflicts with what the credentials reach; the pages show a 409's message.
      throw new AppError("conflict", accountMismatchMessage(environment, environment.accountId, actual), {
        details: { environment: environment.id, configuredAccount: environment.accountId, actualAccount: actual },
      });
    }
    return actual;
  },
);

/**
 * The account an environment's clients reach, checked once (on first use) against the account it is
 * configured for: a mismatch is an error naming the environment, never a silent switch of account.
 * Failures, the mismatch included, are not remembered: the next call asks again.
 */
export function verifiedAccount(
  environment: Pick<Environment, "id" | "name" | "accountId">,
  clients: AwsClients,
): Promise<string> {
  return verifiedAccounts.get(`${environment.id}|${clients.environment}`, { environment, clients });
}

export interface AssumeRoleRequest {
  roleArn: string;
  sessionName: string;
  externalId?: string;
  durationSeconds?: number;
}

/**
 * The temporary credentials of a role (STS API Reference, AssumeRole): `ExternalId` is what the
 * role's trust policy may require through its `sts:ExternalId` condition; without `DurationSeconds`
 * STS gives one hour.
 */
export async function assumeRole(clients: AwsClients, request: AssumeRoleRequest): Promise<TemporaryCredentials> {
  const answer = await callAws(clients, "sts", "AssumeRole", () =>
    clients.sts.send(
      new AssumeRoleCommand({
        RoleArn: request.roleArn,
        RoleSessionName: request.sessionName,
        ExternalId: request.externalId,
        DurationSeconds: request.durationSeconds,
      }),
    ),
  );
  const credentials = answer.Credentials;
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.Expiration) {
    throw new AppError("upstream_unavailable", `AssumeRole of ${request.roleArn} answered without credentials.`);
  }
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
    expiration: credentials.Expiration,
  };
}
