import "server-only";
import { ListEventSourceMappingsCommand, ListFunctionsCommand, UpdateEventSourceMappingCommand } from "@aws-sdk/client-lambda";
import { arnName } from "../domain/subscription";
import { getClients, type AwsClients } from "./clients";
import { callAws } from "./call";

export async function pingLambda(clients: AwsClients): Promise<void> {
  await callAws("lambda", "ListFunctions", () => clients.lambda.send(new ListFunctionsCommand({ MaxItems: 1 })));
}

/** A Lambda event source mapping: the consumer of a queue. */
export interface QueueConsumer {
  uuid: string;
  functionName: string;
  state: string;
  enabled: boolean;
}

/** The event source mappings that consume a queue (usually one). */
export async function listQueueConsumers(queueArn: string, clients: AwsClients = getClients()): Promise<QueueConsumer[]> {
  const consumers: QueueConsumer[] = [];
  let marker: string | undefined;
  do {
    const page = await callAws("lambda", "ListEventSourceMappings", () => clients.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: queueArn, Marker: marker })));
    for (const m of page.EventSourceMappings ?? []) {
      const state = m.State ?? "Unknown";
      consumers.push({ uuid: m.UUID ?? "", functionName: arnName(m.FunctionArn ?? ""), state, enabled: state === "Enabled" || state === "Enabling" });
    }
    marker = page.NextMarker;
  } while (marker);
  return consumers;
}

/** Enables or disables one mapping; Lambda stops polling the queue while it is disabled. */
export async function setConsumerEnabled(uuid: string, enabled: boolean, clients: AwsClients = getClients()): Promise<QueueConsumer> {
  const m = await callAws("lambda", "UpdateEventSourceMapping", () => clients.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: enabled })));
  const state = m.State ?? (enabled ? "Enabling" : "Disabling");
  return { uuid, functionName: arnName(m.FunctionArn ?? ""), state, enabled: state === "Enabled" || state === "Enabling" };
}
