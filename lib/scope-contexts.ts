import "server-only";
import { roleInEnvironment } from "./domain/environments";
import type { Role } from "./domain/roles";
import type { Config } from "./env";
import type { OperationContext } from "./operations/context";
import { contextFromConfig } from "./request-context";

/**
 * A context for every configured environment and each of its regions, in configuration order, each
 * acting with the user's role in that environment: what the overview across environments collects.
 */
export function contextsOfEveryScope(
  config: Config,
  user: { name: string; role: Role; roles?: Readonly<Record<string, Role>> },
  requestId: string,
): OperationContext[] {
  return config.environments.flatMap((environment) =>
    environment.regions.map((region) =>
      contextFromConfig(config, { name: user.name, role: roleInEnvironment(user, environment) }, requestId, {
        environment: environment.id,
        region,
      }),
    ),
  );
}
