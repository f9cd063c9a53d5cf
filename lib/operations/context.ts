import "server-only";
import type { AwsContext } from "../aws/context";
import type { DestinationListing } from "../domain/alerts/destination-settings";
import type { DestinationPolicy } from "../domain/alerts/destination-url";
import type { MaskRules } from "../domain/dead-letter-message";
import type { Masking } from "../domain/masking-policy";
import type { ActiveEnvironment } from "../domain/environments";
import type { Actor } from "../domain/identity";
import type { Scope } from "../domain/scope";
import type { Objectives } from "../domain/sla";

export type { Actor } from "../domain/identity";
export type { AwsContext } from "../aws/context";

/** The settings operations act with, taken from the configuration when the context is built. */
export interface OperationSettings {
  /** Fields masked before any response: in recent events, samples and traces, and in dead letters no policy covers. */
  mask: MaskRules;
  /** Masking of dead letters: the policies by queue ARN, and `mask` where none matches (lib/domain/masking-policy.ts). */
  masking: Masking;
  /** The unfiltered subscriber queue drained for "recent events". */
  tapQueue?: string;
  objectives: Objectives;
  /** Where the other configured environments are, to link a cross-account subscription to its own environment. */
  environments: ReadonlyArray<{ id: string; accountId?: string; regions: readonly string[] }>;
  /**
   * The session secret, that keys of reveal fingerprints and of sealed lease letters are derived from;
   * read on first use, as it may create a file.
   */
  serverSecret: () => string;
  alerts: {
    /** The destinations the configuration names for this environment (FANOUT_ALERTS_WEBHOOK, the environments file). */
    configured: readonly DestinationListing[];
    /** Where destinations may go (FANOUT_ALERTS_ALLOWED_HOSTS, local mode). */
    policy: DestinationPolicy;
    /** The key webhooks without their own sign with; read on first use, as it may create a file. */
    webhookSecret: () => string;
    /** The key is generated and kept in the data dir, not FANOUT_ALERTS_WEBHOOK_SECRET. */
    webhookSecretGenerated: boolean;
  };
}

/**
 * What every operation acts with: who asks, which request this is (the audit ties an intent and its
 * outcome by it), the environment, its AWS side and the settings (the environment's overrides applied). Built per request by the route wrapper, at
 * start-up with the system actor, and by tests directly (lib/request-context.ts, test/context.ts);
 * no operation reads the configuration itself.
 */
export interface OperationContext {
  actor: Actor;
  requestId: string;
  /** The environment and region the request acts in (its id, kind, account), for audit entries and stored rows. */
  environment: ActiveEnvironment;
  aws: AwsContext;
  settings: OperationSettings;
}

/** Where the context's stored rows belong (jobs, policy history, removals, recent events): its environment and region. */
export const scopeOfContext = (ctx: Pick<OperationContext, "environment">): Scope => ({
  environment: ctx.environment.id,
  region: ctx.environment.region,
});

/**
 * The part of a context an audit entry needs. The role is a plain string: a redrive job carries its
 * starter's name and role from the store, where they were written as text.
 */
export interface AuditContext {
  actor: { name: string; role: string; tokenId?: string };
  requestId: string;
  /** Where it is done; absent for what belongs to no environment (a sign-in). */
  environment?: Pick<ActiveEnvironment, "id" | "region" | "accountId">;
  /** The environment's clients, whose account names the entry when the configuration does not. */
  aws?: Pick<AwsContext, "clients">;
}
