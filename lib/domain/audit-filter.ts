import { AUDIT_OUTCOMES, isAuditAction, type AuditAction, type AuditFilter, type AuditOutcomeValue } from "./audit";
import { isAccountId, isEnvironmentId, isRegionName } from "./environments";
import type { Scope } from "./scope";

/**
 * The audit page's filters as its address holds them, so that a reload, back and forward and a
 * shared link show the same rows. A preset time range stays relative ("the last hour" is the last
 * hour whenever the link is opened); a custom one is two ISO times. The trail is global: a page opened
 * under a scope (`/e/{env}/{region}/audit`) starts filtered to its environment, and `environment=*`
 * in its address shows every environment there.
 */
export const AUDIT_TIME_PRESETS = { "1h": "last 1 h", "24h": "last 24 h", "7d": "last 7 d" } as const;

export type AuditTimePreset = keyof typeof AUDIT_TIME_PRESETS;

const presetMs: Record<AuditTimePreset, number> = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 };

export interface AuditPageFilter {
  actions: AuditAction[];
  actor?: string;
  target?: string;
  outcome?: AuditOutcomeValue;
  /** A preset, or `from`/`to` (either may be open); never both. */
  range?: AuditTimePreset;
  from?: string;
  to?: string;
  /** Where it was done: an environment id, a region code, an account's 12 digits. */
  environment?: string;
  region?: string;
  account?: string;
}

/** The address value of "every environment", on a page whose scope would otherwise choose its own. */
export const EVERY_ENVIRONMENT = "*";

const isPreset = (v: string): v is AuditTimePreset => Object.hasOwn(AUDIT_TIME_PRESETS, v);
const isOutcome = (v: string): v is AuditOutcomeValue => (AUDIT_OUTCOMES as readonly string[]).includes(v);
const isTime = (v: string) => !Number.isNaN(Date.parse(v));

/**
 * The page's filters from its address; a value the page does not know (an edited link) is left out
 * rather than refused. Under a scope, no environment in the address means the scope's.
 */
export function auditPageFilterFrom(params: { get(name: string): string | null }, scope?: Scope): AuditPageFilter {
  const filter: AuditPageFilter = {
    actions: (params.get("action") ?? "").split(",").filter(isAuditAction),
  };
  for (const name of ["actor", "target"] as const) {
    const value = params.get(name);
    if (value) filter[name] = value;
  }
  const environment = params.get("environment") ?? scope?.environment ?? "";
  if (isEnvironmentId(environment)) filter.environment = environment;
  const region = params.get("region") ?? "";
  if (isRegionName(region)) filter.region = region;
  const account = params.get("account") ?? "";
  if (isAccountId(account)) filter.account = account;
  const outcome = params.get("outcome") ?? "";
  if (isOutcome(outcome)) filter.outcome = outcome;
  const range = params.get("range") ?? "";
  if (isPreset(range)) filter.range = range;
  else
    for (const name of ["from", "to"] as const) {
      const value = params.get(name);
      if (value && isTime(value)) filter[name] = value;
    }
  return filter;
}

/**
 * The address parameters of a filter, every one named so that setting them replaces the old filter
 * whole. Under a scope its own environment needs no parameter, and every environment needs one.
 */
export function auditPageParams(filter: AuditPageFilter, scope?: Scope): Record<string, string | undefined> {
  return {
    action: filter.actions.join(",") || undefined,
    actor: filter.actor,
    target: filter.target,
    outcome: filter.outcome,
    environment:
      filter.environment === scope?.environment
        ? undefined
        : (filter.environment ?? (scope ? EVERY_ENVIRONMENT : undefined)),
    region: filter.region,
    account: filter.account,
    range: filter.range,
    from: filter.range ? undefined : filter.from,
    to: filter.range ? undefined : filter.to,
  };
}

export const NO_AUDIT_FILTER: AuditPageFilter = { actions: [] };

/** Whether anything filters the rows (a scope's environment preselected included). */
export const hasAuditFilter = (filter: AuditPageFilter) =>
  Object.values(auditPageParams(filter)).some((v) => v !== undefined);

/** What the API is asked for at `now`: a preset becomes its start time. */
export function auditApiFilter(filter: AuditPageFilter, now: number): AuditFilter {
  const { actions, range, from, to, ...rest } = filter;
  return {
    ...rest,
    ...(actions.length ? { action: actions } : {}),
    ...(range ? { from: new Date(now - presetMs[range]).toISOString() } : { from, to }),
  };
}

/** The query string of GET /api/audit for a filter: the actions as one comma list. */
export function auditQueryString(filter: AuditFilter & { format?: "jsonl" }): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    const text = Array.isArray(value) ? value.join(",") : value === undefined ? "" : String(value);
    if (text !== "") query.set(name, text);
  }
  return query.toString();
}

/** The filters in words, for the empty state: "actor contains “ott”", "the last 24 h". */
export function describeAuditFilter(filter: AuditPageFilter, formatTime: (iso: string) => string): string[] {
  const words: string[] = [];
  if (filter.actions.length) words.push(`action ${filter.actions.join(" or ")}`);
  if (filter.actor) words.push(`actor contains “${filter.actor}”`);
  if (filter.target) words.push(`target contains “${filter.target}”`);
  if (filter.outcome) words.push(`outcome ${filter.outcome}`);
  if (filter.environment) words.push(`environment ${filter.environment}`);
  if (filter.region) words.push(`region ${filter.region}`);
  if (filter.account) words.push(`account ${filter.account}`);
  if (filter.range) words.push(AUDIT_TIME_PRESETS[filter.range]);
  if (filter.from) words.push(`from ${formatTime(filter.from)}`);
  if (filter.to) words.push(`until ${formatTime(filter.to)}`);
  return words;
}
