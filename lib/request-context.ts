import "server-only";
import { randomUUID } from "node:crypto";
import { awsContext } from "./aws/context";
import { resolveAuthSecret } from "./auth/secret";
import type { Actor } from "./domain/identity";
import type { Config } from "./env";
import type { OperationContext } from "./operations/context";

/** The console acting on its own (resuming redrive jobs, reading the tap queue at start-up). */
export const systemActor: Actor = { name: "fanout", role: "admin" };

/**
 * The one way a context is built from the configuration: by the route wrapper per request, at
 * start-up and by pages (with the system actor or the signed-in user), by tests and benchmarks.
 */
export function contextFromConfig(config: Config, actor: Actor, requestId: string = randomUUID()): OperationContext {
  return {
    actor,
    requestId,
    aws: awsContext(config),
    settings: {
      mask: config.mask,
      tapQueue: config.tapQueue,
      objectives: config.objectives,
      revealSecret: () => resolveAuthSecret(config),
    },
  };
}
