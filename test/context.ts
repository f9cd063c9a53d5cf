import { randomUUID } from "node:crypto";
import type { Actor } from "../lib/domain/identity";
import type { Role } from "../lib/domain/roles";
import type { Scope } from "../lib/domain/scope";
import { loadConfig, type Config } from "../lib/env";
import { highestRoleInEnvironment, userBindings, type Access, type BindingSpec } from "../lib/domain/bindings";
import type { OperationContext } from "../lib/operations/context";
import { contextFromConfig, type ContextUser } from "../lib/request-context";

export interface TestContextOptions {
  /** The AWS endpoint; by default the suite's moto (test/integration-env.ts). */
  endpoint?: string;
  actor?: Actor;
  requestId?: string;
  /** More configuration, as environment variables (FANOUT_MASK_FIELDS, FANOUT_TAP_QUEUE, AWS_ENDPOINT_URL_LAMBDA…). */
  env?: Record<string, string | undefined>;
  /** The environment and region to act in (of FANOUT_ENVIRONMENTS in `env`); the default one without. */
  scope?: Scope;
}

/** A request context for a local endpoint, built as the route wrapper builds one, without touching process.env. */
export function testContext(options: TestContextOptions = {}): OperationContext {
  const config = loadConfig({
    AWS_ENDPOINT_URL: options.endpoint ?? process.env.AWS_ENDPOINT_URL,
    AWS_REGION: "us-east-1",
    FANOUT_DATA_DIR: process.env.FANOUT_DATA_DIR,
    ...options.env,
  });
  return contextFromConfig(
    config,
    options.actor ?? { name: "tester", role: "admin" },
    options.requestId ?? randomUUID(),
    options.scope,
  );
}

/** A context acting for `name` with `role`, each with a request id of its own. */
export const contextAs = (name: string, role: Role, options: Omit<TestContextOptions, "actor"> = {}) =>
  testContext({ ...options, actor: { name, role } });

/**
 * Points lib/store at `dataDir`. The store still finds its data dir through the process's
 * configuration (getConfig), which validates as a whole: without a session secret only for a local
 * endpoint, so a benchmark names its own endpoint there too. Operations act with the context.
 */
export function storeIn(dataDir: string, endpoint: string): void {
  process.env.FANOUT_DATA_DIR = dataDir;
  process.env.AWS_ENDPOINT_URL = endpoint;
}

/**
 * A signed-in user as the route wrapper sees one, from a users entry's `role`, `roles` and `bindings`
 * under `config`'s environments: what contextForUser and contextsOfEveryScope take.
 */
export function userWith(
  config: Pick<Config, "environments">,
  entry: { name: string; role?: Role; roles?: Record<string, Role>; bindings?: BindingSpec[] },
): ContextUser {
  const ids = config.environments.map((environment) => environment.id);
  return { name: entry.name, access: { bindings: userBindings({ ...entry, username: entry.name }, ids) } };
}

/** The highest role an access gives in each of the environments that some binding of it reaches. */
export const rolesIn = (access: Access | undefined, ids: readonly string[] = ["default"]) =>
  access &&
  Object.fromEntries(
    ids.flatMap((id) => {
      const role = highestRoleInEnvironment(access, id);
      return role ? [[id, role]] : [];
    }),
  );
