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
 * next request can be answered without calling. The first call of an environment configured with
 * an account waits for STS to confirm it (STS itself does not: it is what confirms).
 */
export async function callAws<T>(
  clients: AwsClients,
  service: AwsService,
  operation: string,
  call: () => Promise<T>,
): Promise<T> {
  if (service !== "sts") await clients.accountCheck?.();
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

/**
 * Every item of a paginated list operation, each page through callAws: the first page, then each
 * next one asked for with the token the previous page returned (`NextToken`; Lambda's
 * `NextMarker`), until a page returns none or `maxPages` pages were read.
 */
export async function callAwsPages<Page, Item>(
  clients: AwsClients,
  service: AwsService,
  operation: string,
  list: {
    request: (token: string | undefined) => Promise<Page>;
    read: (page: Page) => { items: Item[] | undefined; next: string | undefined };
    maxPages?: number;
  },
): Promise<Item[]> {
  const { request, read, maxPages = Infinity } = list;
  const items: Item[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = read(await callAws(clients, service, operation, () => request(token)));
    items.push(...(page.items ?? []));
    token = page.next;
  } while (token && ++pages < maxPages);
  return items;
}
