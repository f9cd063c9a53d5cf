import "server-only";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { AwsClients } from "./clients";
import { callAws } from "./call";

/** The account the credentials belong to, for the environment badge. */
export async function getAccountId(clients: AwsClients): Promise<string | undefined> {
  const identity = await callAws("sts", "GetCallerIdentity", () => clients.sts.send(new GetCallerIdentityCommand({})));
  return identity.Account;
}
