import "server-only";
import { processSingleton } from "../process-singleton";
import type { AwsService } from "../domain/aws-services";
import type { AwsClients } from "./clients";
import { toAppError, type CapabilityLookup } from "./errors";

/**
 * The registry of what each environment's endpoint can do, per (service, operation), and the one
 * wrapper every AWS call goes through. Emulators implement a subset of AWS; remembering the
 * subset lets the UI say "not supported by this endpoint" before a click.
 */

export type Capability = "supported" | "not_supported" | "access_denied" | "unknown";

/** A probe calls an operation harmlessly (a non-existent name, an empty time range). */
export type Probe = (clients: AwsClients) => Promise<unknown>;

/** Per process, shared by every route bundle: a verdict learned by one route spares the others the call. */
const verdicts = processSingleton("capabilityVerdicts", () => new Map<string, Capability>());

/** `environment` is the key of the environment asked about (AwsContext.key, AwsClients.environment). */
const keyOf = (environment: string, service: AwsService, operation: string) => `${environment}|${service}:${operation}`;

export function knownCapability(environment: string, service: AwsService, operation: string): Capability {
  return verdicts.get(keyOf(environment, service, operation)) ?? "unknown";
}

export function rememberCapability(
  environment: string,
  service: AwsService,
  operation: string,
  verdict: Capability,
): void {
  if (verdict !== "unknown") verdicts.set(keyOf(environment, service, operation), verdict);
}

/**
 * Runs one AWS call with an environment's clients and converts its failure to an AppError. A
 * failure that shows the endpoint lacks the operation is remembered for that environment, so the
 * next request can be answered without calling.
 */
export async function callAws<T>(
  clients: AwsClients,
  service: AwsService,
  operation: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const known: CapabilityLookup = (s, o) => knownCapability(clients.environment, s, o);
    const appError = toAppError(err, { service, operation }, known);
    if (appError.code === "not_supported_by_endpoint")
      rememberCapability(clients.environment, service, operation, "not_supported");
    throw appError;
  }
}
