import "server-only";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { getConfig } from "../env";
import { getClients, type AwsClients } from "./clients";
import { callAws } from "./call";

/** The account the credentials belong to; callers use the cached `callerAccount`. */
async function getAccountId(clients: AwsClients): Promise<string | undefined> {
  const identity = await callAws("sts", "GetCallerIdentity", () => clients.sts.send(new GetCallerIdentityCommand({})));
  return identity.Account;
}

const accounts = new Map<string, Promise<string | undefined>>();

/**
 * The credentials' account, read once per endpoint; undefined when the endpoint cannot say (a
 * failure is not remembered, so the next call asks again).
 */
export function callerAccount(clients: AwsClients = getClients()): Promise<string | undefined> {
  const key = getConfig().serviceEndpoints.sts ?? "aws";
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
