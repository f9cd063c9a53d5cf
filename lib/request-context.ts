import "server-only";
import { randomUUID } from "node:crypto";
import { awsContext } from "./aws/context";
import { environmentAwsSettings } from "./aws/credentials";
import { resolveAuthSecret } from "./auth/secret";
import { activeEnvironment, environmentInScope } from "./domain/environments";
import type { Actor } from "./domain/identity";
import type { Scope } from "./domain/scope";
import type { Config } from "./env";
import type { OperationContext } from "./operations/context";

/** The console acting on its own (resuming redrive jobs, reading the tap queue at start-up). */
export const systemActor: Actor = { name: "fanout", role: "admin" };

/**
 * The one way a context is built from the configuration: by the route wrapper per request, at
 * start-up and by pages (with the system actor or the signed-in user), by tests and benchmarks.
 * Without a scope it acts in the default environment (the first configured, in its first region);
 * an unknown environment or region is a 404 (AppError).
 */
export function contextFromConfig(
  config: Config,
  actor: Actor,
  requestId: string = randomUUID(),
  scope?: Scope,
): OperationContext {
  const { environment, region } = environmentInScope(config.environments, scope);
  const aws = environmentAwsSettings(environment, region);
  return {
    actor,
    requestId,
    environment: activeEnvironment(environment, region),
    aws: awsContext({ ...aws, localAwsName: environment.local ? config.localAwsName : undefined }, environment.id),
    settings: {
      mask: environment.mask ?? config.mask,
      tapQueue: environment.tapQueue ?? config.tapQueue,
      objectives: environment.objectives ?? config.objectives,
      revealSecret: () => resolveAuthSecret(config),
    },
  };
}
