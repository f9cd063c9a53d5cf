import "server-only";
import { randomUUID } from "node:crypto";
import {
  destinationSettingProblems,
  destinationWhere,
  type DestinationListing,
  type DestinationSetting,
} from "../domain/alerts/destination-settings";
import { SIGNATURE_HEADER } from "../domain/alerts/signature";
import { AppError } from "../domain/app-error";
import { sealDestination, STORED_DESTINATION_PREFIX } from "../sealed-destinations";
import {
  addAlertDestination,
  getStore,
  listAlertDestinations,
  listDeliveries,
  removeAlertDestination,
  type Delivery,
  type StoredAlertDestination,
} from "../store";
import { recordAudit } from "./audited";
import { scopeOfContext, type OperationContext } from "./context";
import { everywhere } from "./resource-access";

/**
 * Where an environment's alerts go, as admins see and change it on the alerts page: the destinations
 * the configuration names, and those added here, kept in the store with their secrets sealed. The
 * evaluator puts the next notifications in the outbox for them too (lib/alerts-config.ts).
 */

/** Enough of the outbox to find each destination's newest failure. */
const DELIVERIES_READ = 500;

/** Destinations decide who hears of every resource of the environment: admins on all of it only. */
function requireAdmin(ctx: OperationContext): void {
  if (!everywhere(ctx, "admin"))
    throw new AppError(
      "forbidden",
      `Alert destinations need the admin role on every resource of ${ctx.environment.name}.`,
    );
}

/** The newest notification to each destination, when it failed (waiting for its next try, or given up). */
function lastFailures(deliveries: readonly Delivery[]): Map<string, NonNullable<DestinationListing["lastFailure"]>> {
  const failures = new Map<string, NonNullable<DestinationListing["lastFailure"]>>();
  const seen = new Set<string>();
  for (const delivery of deliveries) {
    if (seen.has(delivery.destination)) continue;
    seen.add(delivery.destination);
    if (delivery.deliveredAt === undefined && delivery.lastError !== undefined)
      failures.set(delivery.destination, { error: delivery.lastError, at: delivery.lastAttemptAt });
  }
  return failures;
}

const listingOf = (stored: StoredAlertDestination): DestinationListing => ({
  id: `${STORED_DESTINATION_PREFIX}${stored.id}`,
  name: stored.name,
  kind: stored.kind,
  where: stored.target,
  source: "console",
  createdBy: stored.createdBy,
  createdAt: stored.createdAt,
});

/** The environment's destinations, the configured ones first, each with its last delivery failure in this region. */
export async function listDestinations(ctx: OperationContext): Promise<{ destinations: DestinationListing[] }> {
  requireAdmin(ctx);
  const store = await getStore();
  const [stored, deliveries] = await Promise.all([
    listAlertDestinations(store, ctx.environment.id),
    listDeliveries(store, scopeOfContext(ctx), { limit: DELIVERIES_READ }),
  ]);
  const failures = lastFailures(deliveries);
  return {
    destinations: [...ctx.settings.alerts.configured, ...stored.map(listingOf)].map((d) => {
      const failure = failures.get(d.id);
      return failure ? { ...d, lastFailure: failure } : d;
    }),
  };
}

/**
 * Adds a destination to the environment (audited, without its secrets). Its URL is checked against
 * the allow-list before anything is read or written, and its name must be new to the environment.
 */
export async function addDestination(
  ctx: OperationContext,
  setting: DestinationSetting,
  now = Date.now(),
): Promise<{ destination: DestinationListing }> {
  requireAdmin(ctx);
  const issues = destinationSettingProblems([setting], ctx.settings.alerts.policy).map(({ path, problem }) => ({
    path: path.slice(1).join("."),
    message: problem,
  }));
  if (issues.length) throw new AppError("validation", `${issues[0]!.path}: ${issues[0]!.message}`, { issues });
  const taken = () =>
    new AppError("conflict", `${ctx.environment.name} already has an alert destination named "${setting.name}".`, {
      issues: [{ path: "name", message: "is already used in this environment" }],
    });
  if (ctx.settings.alerts.configured.some((d) => d.source === "environments-file" && d.name === setting.name))
    throw taken();
  const id = randomUUID();
  const stored: StoredAlertDestination = {
    id,
    environment: ctx.environment.id,
    name: setting.name,
    kind: setting.kind,
    target: destinationWhere(setting),
    sealed: sealDestination(ctx.settings.serverSecret(), { id, environment: ctx.environment.id }, setting),
    createdBy: ctx.actor.name,
    createdAt: now,
  };
  if (!(await addAlertDestination(await getStore(), stored))) throw taken();
  const destination = listingOf(stored);
  await recordAudit(ctx, { action: "alert-destination.create", target: `alert-destination:${id}`, after: destination });
  return { destination };
}

/** Removes a destination added on the alerts page, by its id in the store (audited); what waits for it is not sent. */
export async function removeDestination(ctx: OperationContext, id: string): Promise<{ removed: DestinationListing }> {
  requireAdmin(ctx);
  const removed = await removeAlertDestination(await getStore(), ctx.environment.id, id);
  // The configured ones are not in the store: they are changed where they are configured.
  if (!removed) throw new AppError("not_found", `No alert destination ${id} added in ${ctx.environment.name}.`);
  const listing = listingOf(removed);
  await recordAudit(ctx, { action: "alert-destination.remove", target: `alert-destination:${id}`, before: listing });
  return { removed: listing };
}

/**
 * The key webhooks sign with unless they have their own, for an admin to give the receiver (audited:
 * whoever has it can forge notifications), with the header it is checked against.
 */
export async function revealWebhookSecret(
  ctx: OperationContext,
): Promise<{ secret: string; generated: boolean; header: string; format: string }> {
  requireAdmin(ctx);
  const secret = ctx.settings.alerts.webhookSecret();
  await recordAudit(ctx, { action: "alert-webhook-secret.read", target: "alert-webhook-secret" });
  return {
    secret,
    generated: ctx.settings.alerts.webhookSecretGenerated,
    header: SIGNATURE_HEADER,
    format: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed by the secret>',
  };
}
