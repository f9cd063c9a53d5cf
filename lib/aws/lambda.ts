import "server-only";
import { ListFunctionsCommand } from "@aws-sdk/client-lambda";
import type { AwsClients } from "./clients";
import { callAws } from "./call";

export async function pingLambda(clients: AwsClients): Promise<void> {
  await callAws("lambda", "ListFunctions", () => clients.lambda.send(new ListFunctionsCommand({ MaxItems: 1 })));
}
