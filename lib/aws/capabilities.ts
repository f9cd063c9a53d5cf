import "server-only";
import { sharedResult } from "../shared-result";
import type { AwsService } from "../domain/aws-services";
import type { AwsContext } from "./context";
import { toAppError } from "./errors";
import { knownCapability, rememberCapability, type Capability, type Probe } from "./call";
import { sqsProbes } from "./sqs";
import { cloudwatchProbes } from "./cloudwatch";
import { xrayProbes } from "./xray";

/** Probing: each operation with a probe is called once per endpoint, with a single attempt. */

const probes: Partial<Record<AwsService, Record<string, Probe>>> = {
  sqs: sqsProbes,
  cloudwatch: cloudwatchProbes,
  xray: xrayProbes,
};

/** Concurrent probes of one operation share one call; the verdict is kept by the registry, not here. */
const probing = sharedResult(
  "capabilityProbes",
  0,
  (_key, run: () => Promise<Capability>) => run(),
  () => false,
);

/** Every operation the registry can probe. */
export function probedOperations(): Array<[AwsService, string]> {
  return Object.entries(probes).flatMap(([service, ops]) =>
    Object.keys(ops ?? {}).map((op) => [service as AwsService, op] as [AwsService, string]),
  );
}

function verdictOf(err: unknown, service: AwsService, operation: string): Capability {
  // Read without the registry's help: the registry is what is being decided.
  switch (toAppError(err, { service, operation }).code) {
    case "not_supported_by_endpoint":
      return "not_supported";
    case "access_denied":
      return "access_denied";
    case "upstream_unavailable":
    case "throttled":
    case "internal":
      return "unknown";
    default:
      // not found, validation, conflict: the endpoint understood the operation.
      return "supported";
  }
}

/**
 * Probes one operation in the context's environment unless its verdict is known; a network
 * failure leaves it unknown and unremembered.
 */
export async function probeCapability(aws: AwsContext, service: AwsService, operation: string): Promise<Capability> {
  const known = knownCapability(aws.key, service, operation);
  if (known !== "unknown") return known;
  const probe = probes[service]?.[operation];
  if (!probe) return "unknown";
  return probing.get(`${aws.key}|${service}:${operation}`, () =>
    probe(aws.probeClients)
      .then(
        (): Capability => "supported",
        (err: unknown) => verdictOf(err, service, operation),
      )
      .then((verdict) => {
        rememberCapability(aws.key, service, operation, verdict);
        return verdict;
      }),
  );
}

/** Probes every registered operation concurrently; verdicts keyed `service:Operation`. */
export async function probeAllCapabilities(aws: AwsContext): Promise<Record<string, Capability>> {
  const ops = probedOperations();
  const results = await Promise.all(ops.map(([service, op]) => probeCapability(aws, service, op)));
  return Object.fromEntries(ops.map(([service, op], i) => [`${service}:${op}`, results[i]!]));
}
