import "server-only";
import {
  GetFunctionConfigurationCommand,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  UpdateEventSourceMappingCommand,
  type EventSourceMappingConfiguration,
} from "@aws-sdk/client-lambda";
import { arnName } from "../domain/subscription";
import type { FunctionDescription, MappingDescription } from "../domain/topology";
import type { AwsClients } from "./clients";
import { callAws, callAwsPages } from "./call";
import type { QueueConsumer } from "../domain/queue-consumer";
import type { ConsumerCode } from "../domain/replay-warning";

export type { QueueConsumer };

export async function pingLambda(clients: AwsClients): Promise<void> {
  await callAws(clients, "lambda", "ListFunctions", () =>
    clients.lambda.send(new ListFunctionsCommand({ MaxItems: 1 })),
  );
}

export type FunctionSummary = FunctionDescription;

/** Every function in the account and region, following Marker to the end. */
export async function listFunctions(clients: AwsClients): Promise<FunctionSummary[]> {
  const functions = await callAwsPages(clients, "lambda", "ListFunctions", {
    request: (marker) => clients.lambda.send(new ListFunctionsCommand({ Marker: marker, MaxItems: 50 })),
    read: (page) => ({ items: page.Functions, next: page.NextMarker }),
  });
  return functions
    .map((f): FunctionSummary => ({
      name: f.FunctionName ?? "",
      arn: f.FunctionArn ?? "",
      ...(f.Runtime ? { runtime: f.Runtime } : {}),
      // The topology compares it with the visibility timeout of the queues the function consumes.
      ...(f.Timeout !== undefined ? { timeoutSeconds: f.Timeout } : {}),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A function's tags (ListTags), which bindings by tag decide on. */
export async function listFunctionTags(functionArn: string, clients: AwsClients): Promise<Record<string, string>> {
  const out = await callAws(clients, "lambda", "ListTags", () =>
    clients.lambda.send(new ListTagsCommand({ Resource: functionArn })),
  );
  return out.Tags ?? {};
}

export type EventSourceMappingSummary = MappingDescription;

/** Event source mappings, following Marker to the end: all of the account and region's, or one queue's. */
function eventSourceMappings(clients: AwsClients, eventSourceArn?: string): Promise<EventSourceMappingConfiguration[]> {
  return callAwsPages(clients, "lambda", "ListEventSourceMappings", {
    request: (marker) =>
      clients.lambda.send(
        new ListEventSourceMappingsCommand(
          eventSourceArn ? { EventSourceArn: eventSourceArn, Marker: marker } : { Marker: marker, MaxItems: 100 },
        ),
      ),
    read: (page) => ({ items: page.EventSourceMappings, next: page.NextMarker }),
  });
}

/** Every event source mapping in the account and region (ListEventSourceMappings without a filter). */
export async function listEventSourceMappings(clients: AwsClients): Promise<EventSourceMappingSummary[]> {
  return (await eventSourceMappings(clients)).map((m) => ({
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
  }));
}

/** A mapping as the dead-letter page shows it: consuming while Enabled or Enabling. */
function queueConsumer(uuid: string, functionArn: string | undefined, state: string): QueueConsumer {
  return {
    uuid,
    functionName: arnName(functionArn ?? ""),
    state,
    enabled: state === "Enabled" || state === "Enabling",
  };
}

/** The event source mappings that consume a queue (usually one). */
export async function listQueueConsumers(queueArn: string, clients: AwsClients): Promise<QueueConsumer[]> {
  return (await eventSourceMappings(clients, queueArn)).map((m) =>
    queueConsumer(m.UUID ?? "", m.FunctionArn, m.State ?? "Unknown"),
  );
}

/** Enables or disables one mapping; Lambda stops polling the queue while it is disabled. */
export async function setConsumerEnabled(uuid: string, enabled: boolean, clients: AwsClients): Promise<QueueConsumer> {
  const m = await callAws(clients, "lambda", "UpdateEventSourceMapping", () =>
    clients.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: enabled })),
  );
  return queueConsumer(uuid, m.FunctionArn, m.State ?? (enabled ? "Enabling" : "Disabling"));
}

/**
 * A function's code as Lambda reports it now (GetFunctionConfiguration): LastModified changes with
 * every update of its code or configuration (Lambda API Reference, FunctionConfiguration).
 */
export async function getFunctionCode(functionName: string, clients: AwsClients): Promise<ConsumerCode> {
  const f = await callAws(clients, "lambda", "GetFunctionConfiguration", () =>
    clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName })),
  );
  // LastModified reads "2026-12-03T06:00:00.000+0000" (ISO 8601 with a numeric offset).
  const lastModified = f.LastModified ? Date.parse(f.LastModified) : NaN;
  return {
    functionName,
    ...(Number.isFinite(lastModified) ? { lastModified } : {}),
    ...(f.CodeSha256 ? { codeSha256: f.CodeSha256 } : {}),
  };
}
