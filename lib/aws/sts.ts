import "server-only";
import { processSingleton } from "../process-singleton";
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

const accounts = processSingleton("callerAccounts", () => new Map<string, Promise<string | undefined>>());

/**
 * The credentials' account, read once per environment; undefined when the endpoint cannot say (a
 * failure is not remembered, so the next call asks again).
 */
export function callerAccount(clients: AwsClients): Promise<string | undefined> {
  const key = clients.environment;
  let account = accounts.get(key);
  if (!account) {
    account = getAccountId(clients).catch(() => {
      accounts.delete(key);
      return undefined;
    });
    accounts.set(key, account);
  }
  return account;
}
