import "server-only";
import {
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  UpdateEventSourceMappingCommand,
} from "@aws-sdk/client-lambda";
import { arnName } from "../domain/subscription";
import type { FunctionDescription, MappingDescription } from "../domain/topology";
import type { AwsClients } from "./clients";
import { callAws } from "./call";
import type { QueueConsumer } from "../domain/queue-consumer";

export type { QueueConsumer };

export async function pingLambda(clients: AwsClients): Promise<void> {
  await callAws(clients, "lambda", "ListFunctions", () =>
    clients.lambda.send(new ListFunctionsCommand({ MaxItems: 1 })),
  );
}

export type FunctionSummary = FunctionDescription;

/** Every function in the account and region, following Marker to the end. */
export async function listFunctions(clients: AwsClients): Promise<FunctionSummary[]> {
  const functions: FunctionSummary[] = [];
  let marker: string | undefined;
  do {
    const page = await callAws(clients, "lambda", "ListFunctions", () =>
      clients.lambda.send(new ListFunctionsCommand({ Marker: marker, MaxItems: 50 })),
    );
    for (const f of page.Functions ?? []) {
      functions.push({
        name: f.FunctionName ?? "",
        arn: f.FunctionArn ?? "",
        ...(f.Runtime ? { runtime: f.Runtime } : {}),
        // The topology compares it with the visibility timeout of the queues the function consumes.
        ...(f.Timeout !== undefined ? { timeoutSeconds: f.Timeout } : {}),
      });
    }
    marker = page.NextMarker;
  } while (marker);
  return functions.sort((a, b) => a.name.localeCompare(b.name));
}

export type EventSourceMappingSummary = MappingDescription;

/** Every event source mapping in the account and region (ListEventSourceMappings without a filter). */
export async function listEventSourceMappings(clients: AwsClients): Promise<EventSourceMappingSummary[]> {
  const mappings: EventSourceMappingSummary[] = [];
  let marker: string | undefined;
  do {
    const page = await callAws(clients, "lambda", "ListEventSourceMappings", () =>
      clients.lambda.send(new ListEventSourceMappingsCommand({ Marker: marker, MaxItems: 100 })),
    );
    for (const m of page.EventSourceMappings ?? []) {
      mappings.push({
        uuid: m.UUID ?? "",
        functionArn: m.FunctionArn ?? "",
        eventSourceArn: m.EventSourceArn ?? "",
        state: m.State ?? "Unknown",
        ...(m.BatchSize !== undefined ? { batchSize: m.BatchSize } : {}),
        ...(m.ScalingConfig?.MaximumConcurrency !== undefined
          ? { maximumConcurrency: m.ScalingConfig.MaximumConcurrency }
          : {}),
        reportBatchItemFailures: (m.FunctionResponseTypes ?? []).includes("ReportBatchItemFailures"),
        ...(m.LastModified ? { lastModified: m.LastModified.toISOString() } : {}),
      });
    }
    marker = page.NextMarker;
  } while (marker);
  return mappings;
}

/** The event source mappings that consume a queue (usually one). */
export async function listQueueConsumers(queueArn: string, clients: AwsClients): Promise<QueueConsumer[]> {
  const consumers: QueueConsumer[] = [];
  let marker: string | undefined;
  do {
    const page = await callAws(clients, "lambda", "ListEventSourceMappings", () =>
      clients.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: queueArn, Marker: marker })),
    );
    for (const m of page.EventSourceMappings ?? []) {
      const state = m.State ?? "Unknown";
      consumers.push({
        uuid: m.UUID ?? "",
        functionName: arnName(m.FunctionArn ?? ""),
        state,
        enabled: state === "Enabled" || state === "Enabling",
      });
    }
    marker = page.NextMarker;
  } while (marker);
  return consumers;
}

/** Enables or disables one mapping; Lambda stops polling the queue while it is disabled. */
export async function setConsumerEnabled(uuid: string, enabled: boolean, clients: AwsClients): Promise<QueueConsumer> {
  const m = await callAws(clients, "lambda", "UpdateEventSourceMapping", () =>
    clients.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: enabled })),
  );
  const state = m.State ?? (enabled ? "Enabling" : "Disabling");
  return {
    uuid,
    functionName: arnName(m.FunctionArn ?? ""),
    state,
    enabled: state === "Enabled" || state === "Enabling",
  };
}
