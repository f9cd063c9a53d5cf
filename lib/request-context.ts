import "server-only";
import { randomUUID } from "node:crypto";
import { awsContext } from "./aws/context";
import { environmentAwsSettings } from "./aws/credentials";
import { configuredDestinationListing, destinationPolicyOf } from "./alerts-config";
import { resolveAlertsWebhookSecret, resolveAuthSecret } from "./auth/secret";
import {
  activeEnvironment,
  ENVIRONMENTS_VARIABLE,
  environmentInScope,
  roleInEnvironment,
  roleRefusal,
  type Environment,
} from "./domain/environments";
import { AppError } from "./domain/app-error";
import { rulesPolicy } from "./domain/masking-policy";
import type { SessionUser } from "./auth/sessions";
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
  const mask = environment.mask ?? config.mask;
  const maskFrom = environment.mask
    ? `${ENVIRONMENTS_VARIABLE}[${config.environments.indexOf(environment)}].mask`
    : "FANOUT_MASK_FIELDS and FANOUT_MASK_ATTRIBUTES";
  return {
    actor,
    requestId,
    environment: activeEnvironment(environment, region),
    aws: awsContext({ ...aws, localAwsName: environment.local ? config.localAwsName : undefined }, environment.id),
    settings: {
      mask,
      masking: { policies: environment.masking ?? config.masking, otherwise: rulesPolicy(mask, maskFrom) },
      tapQueue: environment.tapQueue ?? config.tapQueue,
      objectives: environment.objectives ?? config.objectives,
      environments: config.environments.map(({ id, accountId, regions }) => ({ id, accountId, regions })),
      serverSecret: () => resolveAuthSecret(config),
      alerts: {
        configured: configuredDestinationListing(config, environment),
        policy: destinationPolicyOf(config),
        webhookSecret: () => resolveAlertsWebhookSecret(config),
        webhookSecretGenerated: config.alertsWebhookSecret === undefined,
      },
    },
  };
}

/** Who acts in a context made for a signed-in user: their name, their bindings and the token they came with. */
export type ContextUser = Pick<SessionUser, "name" | "access" | "tokenId">;

/**
 * The actor a signed-in user is in an environment: the most their bindings give there (capped at
 * viewer in a read-only environment), narrowed resource by resource; undefined where no binding reaches.
 */
export function actorIn(user: ContextUser, environment: Environment): Actor | undefined {
  const role = roleInEnvironment(user.access, environment);
  if (!role) return undefined;
  return { name: user.name, role, access: user.access, ...(user.tokenId ? { tokenId: user.tokenId } : {}) };
}

/**
 * A context for a signed-in user in a scope other than their request's (the source of a copy, the
 * environment a page compares with), acting with their bindings THERE. The route wrapper checked only
 * the request's own scope, so the operation checks this role itself; where no binding of theirs
 * reaches, the refusal names the environment.
 */
export function contextForUser(config: Config, user: ContextUser, requestId: string, scope: Scope): OperationContext {
  const { environment } = environmentInScope(config.environments, scope);
  const actor = actorIn(user, environment);
  if (!actor) throw new AppError("forbidden", roleRefusal("viewer", undefined, environment));
  return contextFromConfig(config, actor, requestId, scope);
}
