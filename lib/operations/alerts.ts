import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { alertsViewOf, type AlertsView } from "../domain/alerts/alerts-view";
import { silenceCovers, silenceFrom, type Silence } from "../domain/alerts/silences";
import { AppError } from "../domain/app-error";
import type { CreateSilenceRequest } from "../schemas/alerts";
import {
  addSilence,
  endSilence as endStoredSilence,
  getSilence,
  getStore,
  listAlertStates,
  listDeliveries,
  listSilences,
} from "../store";
import { recordAudit } from "./audited";
import { scopeOfContext, type OperationContext } from "./context";
import { everywhere, mayView, requireRoleOn, visibleTo } from "./resource-access";

/**
 * The alerts page and its silences: what the evaluator stored (lib/store/alerts.ts) and the outbox
 * (lib/store/alert-outbox.ts), within the caller's bindings. Silences are console state, audited
 * like any change; the evaluator reads them on its next tick.
 */

/** Enough of the outbox to show each alert's latest notification to each destination. */
const DELIVERIES_READ = 1000;

/**
 * The alerts of the context's environment and region the caller may view (an alert is about one
 * resource, by ARN), and the silences that hold: those of a rule, those covering an alert they
 * view, and those of a pattern some binding of theirs reaches.
 */
export async function alertsView(ctx: OperationContext, now = Date.now()): Promise<AlertsView> {
  const store = await getStore();
  const scope = scopeOfContext(ctx);
  const [states, silences, deliveries] = await Promise.all([
    listAlertStates(store, scope),
    listSilences(store, scope, { activeAt: now }),
    listDeliveries(store, scope, { limit: DELIVERIES_READ }),
  ]);
  const visible = visibleTo(ctx, states, (state) => ({ arns: [state.resource] }));
  const view = alertsViewOf(visible, silences, deliveries, now);
  if (everywhere(ctx, "viewer")) return view;
  const viewable = mayView(ctx);
  return {
    ...view,
    silences: view.silences.filter(
      (silence) =>
        silence.resource === undefined ||
        viewable({ arns: [silence.resource] }) ||
        visible.some((state) => silenceCovers(silence, state, now)),
    ),
  };
}

/** How many alerts fire now that the caller may view: the overview's figure, the alerts page's first list. */
export async function firingAlertCount(ctx: OperationContext): Promise<number> {
  const firing = await listAlertStates(await getStore(), scopeOfContext(ctx), { status: "firing", limit: 10_000 });
  return visibleTo(ctx, firing, (state) => ({ arns: [state.resource] })).length;
}

/**
 * Silencing needs the operator role on what is silenced: on every resource of the environment for
 * a whole rule or a pattern, which bindings cannot be compared with; on the one resource when the
 * silence names a single ARN.
 */
async function requireSilencer(ctx: OperationContext, resource: string | undefined): Promise<void> {
  if (everywhere(ctx, "operator")) return;
  if (ctx.actor.access && resource !== undefined && !resource.includes("*"))
    return requireRoleOn(ctx, async () => ({ arns: [resource] }), "operator", "resource");
  const reason =
    resource === undefined
      ? `Silencing a whole rule needs the operator role on every resource of ${ctx.environment.name}.`
      : `Silencing a pattern needs the operator role on every resource of ${ctx.environment.name}; name one ARN instead.`;
  throw new AppError("forbidden", ctx.actor.access ? reason : `Silencing alerts needs the operator role here.`, {
    ...(resource !== undefined ? { issues: [{ path: "resource", message: reason }] } : {}),
  });
}

/** A retried request's silence has the same id: its key, its maker and where it was made. */
function silenceIdOf(ctx: OperationContext, clientKey: string | undefined): string {
  if (clientKey === undefined) return randomUUID();
  const { environment, region } = scopeOfContext(ctx);
  return createHash("sha256")
    .update(JSON.stringify([environment, region, ctx.actor.name, clientKey]))
    .digest("hex")
    .slice(0, 32);
}

const sameRequest = (silence: Silence, request: CreateSilenceRequest) =>
  silence.rule === request.rule &&
  silence.resource === request.resource &&
  silence.reason === request.reason &&
  silence.expiresAt - silence.createdAt === request.minutes * 60_000;

/** The silence an earlier request with the same key made; a different request under that key is a conflict. */
function earlierSilence(silence: Silence, request: CreateSilenceRequest): Silence {
  if (sameRequest(silence, request)) return silence;
  throw new AppError("conflict", "clientKey: a different silence was made with this key", {
    issues: [{ path: "clientKey", message: "already used for another silence" }],
  });
}

/** Silences alerts of the context's environment and region for some minutes, with a reason (audited). */
export async function createSilence(
  ctx: OperationContext,
  request: CreateSilenceRequest,
  now = Date.now(),
): Promise<Silence> {
  await requireSilencer(ctx, request.resource);
  const store = await getStore();
  const scope = scopeOfContext(ctx);
  const id = silenceIdOf(ctx, request.clientKey);
  if (request.clientKey !== undefined) {
    const earlier = await getSilence(store, scope, id);
    if (earlier) return earlierSilence(earlier, request);
  }
  const { clientKey: _clientKey, ...asked } = request;
  const silence = silenceFrom(asked, { id, ...scope, createdBy: ctx.actor.name, now });
  try {
    await addSilence(store, silence);
  } catch (err) {
    // The same key, at the same moment: the other request's insert won.
    const earlier = request.clientKey !== undefined ? await getSilence(store, scope, id) : undefined;
    if (earlier) return earlierSilence(earlier, request);
    throw err;
  }
  await recordAudit(ctx, { action: "alert-silence.create", target: `alert-silence:${id}`, after: silence });
  return silence;
}

/** Ends a silence before it expires (audited); one already ended or expired is left as it is. */
export async function endSilence(
  ctx: OperationContext,
  id: string,
  now = Date.now(),
): Promise<{ ended: boolean; silence: Silence }> {
  const store = await getStore();
  const scope = scopeOfContext(ctx);
  const silence = await getSilence(store, scope, id);
  if (!silence) throw new AppError("not_found", `No silence ${id} in ${ctx.environment.name} · ${scope.region}.`);
  await requireSilencer(ctx, silence.resource);
  // A retried end, or one after it expired, changes nothing.
  if (!(await endStoredSilence(store, scope, id, ctx.actor.name, now))) return { ended: false, silence };
  const ended = { ...silence, endedAt: now, endedBy: ctx.actor.name };
  await recordAudit(ctx, { action: "alert-silence.end", target: `alert-silence:${id}`, before: silence, after: ended });
  return { ended: true, silence: ended };
}
