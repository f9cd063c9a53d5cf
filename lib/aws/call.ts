import "server-only";
import { getConfig, type AwsService } from "../env";
import type { AwsClients } from "./clients";
import { toAppError, type CapabilityLookup } from "./errors";

/**
 * The registry of what the configured endpoint can do, per (service, operation), and the one
 * wrapper every AWS call goes through. Emulators implement a subset of AWS; remembering the
 * subset lets the UI say "not supported by this endpoint" before a click.
 */

export type Capability = "supported" | "not_supported" | "access_denied" | "unknown";

/** A probe calls an operation harmlessly (a non-existent name, an empty time range). */
export type Probe = (clients: AwsClients) => Promise<unknown>;

const verdicts = new Map<string, Capability>();

function keyOf(service: AwsService, operation: string): string {
  return `${getConfig().serviceEndpoints[service] ?? "aws"}|${service}:${operation}`;
}

export const knownCapability: CapabilityLookup = (service, operation) =>
  verdicts.get(keyOf(service, operation)) ?? "unknown";

export function rememberCapability(service: AwsService, operation: string, verdict: Capability): void {
  if (verdict !== "unknown") verdicts.set(keyOf(service, operation), verdict);
}

/**
 * Runs one AWS call and converts its failure to an AppError. A failure that shows the endpoint
 * lacks the operation is remembered, so the next request can be answered without calling.
 */
export async function callAws<T>(service: AwsService, operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const appError = toAppError(err, { service, operation }, knownCapability);
    if (appError.code === "not_supported_by_endpoint") rememberCapability(service, operation, "not_supported");
    throw appError;
  }
}
