import "server-only";
import { randomUUID } from "node:crypto";
import { awsContext } from "./aws/context";
import { environmentAwsSettings } from "./aws/credentials";
import { resolveAuthSecret } from "./auth/secret";
import { activeEnvironment, environmentInScope, roleInEnvironment } from "./domain/environments";
import type { Actor } from "./domain/identity";
import type { Role } from "./domain/roles";
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
      environments: config.environments.map(({ id, accountId, regions }) => ({ id, accountId, regions })),
      serverSecret: () => resolveAuthSecret(config),
    },
  };
}

/**
 * A context for a signed-in user in a scope other than their request's (the source of a copy, the
 * environment a page compares with), acting with their role THERE: their `roles` entry for it, else
 * their default, capped at viewer in a read-only environment. The route wrapper checked only the
 * request's own scope, so the operation checks this role itself.
 */
export function contextForUser(
  config: Config,
  user: { name: string; role: Role; roles?: Readonly<Record<string, Role>> },
  requestId: string,
  scope: Scope,
): OperationContext {
  const { environment } = environmentInScope(config.environments, scope);
  return contextFromConfig(config, { name: user.name, role: roleInEnvironment(user, environment) }, requestId, scope);
}
