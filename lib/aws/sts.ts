import "server-only";
import { sharedResult } from "../shared-result";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { AwsClients } from "./clients";
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
