import { AUDIT_OUTCOMES, isAuditAction, type AuditAction, type AuditFilter, type AuditOutcomeValue } from "./audit";

/**
 * The audit page's filters as its address holds them, so that a reload, back and forward and a
 * shared link show the same rows. A preset time range stays relative ("the last hour" is the last
 * hour whenever the link is opened); a custom one is two ISO times.
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
}

const isPreset = (v: string): v is AuditTimePreset => Object.hasOwn(AUDIT_TIME_PRESETS, v);
const isOutcome = (v: string): v is AuditOutcomeValue => (AUDIT_OUTCOMES as readonly string[]).includes(v);
const isTime = (v: string) => !Number.isNaN(Date.parse(v));

/** The page's filters from its address; a value the page does not know (an edited link) is left out rather than refused. */
export function auditPageFilterFrom(params: { get(name: string): string | null }): AuditPageFilter {
  const filter: AuditPageFilter = {
    actions: (params.get("action") ?? "").split(",").filter(isAuditAction),
  };
  for (const name of ["actor", "target"] as const) {
    const value = params.get(name);
    if (value) filter[name] = value;
  }
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

/** The address parameters of a filter, every one named so that setting them replaces the old filter whole. */
export function auditPageParams(filter: AuditPageFilter): Record<string, string | undefined> {
  return {
    action: filter.actions.join(",") || undefined,
    actor: filter.actor,
    target: filter.target,
    outcome: filter.outcome,
    range: filter.range,
    from: filter.range ? undefined : filter.from,
    to: filter.range ? undefined : filter.to,
  };
}

export const NO_AUDIT_FILTER: AuditPageFilter = { actions: [] };

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
  if (filter.range) words.push(AUDIT_TIME_PRESETS[filter.range]);
  if (filter.from) words.push(`from ${formatTime(filter.from)}`);
  if (filter.to) words.push(`until ${formatTime(filter.to)}`);
  return words;
}
