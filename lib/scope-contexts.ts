import "server-only";
import type { Environment } from "./domain/environments";
import type { Actor } from "./domain/identity";
import type { Config } from "./env";
import type { OperationContext } from "./operations/context";
import { contextFromConfig } from "./request-context";

/**
 * A context for every configured environment and each of its regions, in configuration order, each
 * acting as `actorIn` says there (for a user, `actorIn` of lib/request-context.ts); an environment
 * without an actor is left out: what the overview across environments and the tap readers collect.
 */
export function contextsOfEveryScope(
  config: Config,
  actorFor: (environment: Environment) => Actor | undefined,
  requestId: string,
): OperationContext[] {
  return config.environments.flatMap((environment) => {
    const actor = actorFor(environment);
    if (!actor) return [];
    return environment.regions.map((region) =>
      contextFromConfig(config, actor, requestId, { environment: environment.id, region }),
    );
  });
}
