/**
 * Where a page or an API request acts: one environment in one of its regions. Scoped pages live under
 * `/e/{env}/{region}/…` and scoped API routes under `/api/e/{env}/{region}/…`, followed by the
 * unscoped path; an unscoped path acts in the default environment (the first configured, its first
 * region). Pure, for the proxy, the server and the browser alike.
 */

export interface Scope {
  /** An environment id (a slug, lib/domain/environments.ts). */
  environment: string;
  region: string;
}

/** What an environment id or a region may look like in a path. */
export const SCOPE_SEGMENT = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const scopeKey = (scope: Scope): string => `${scope.environment}/${scope.region}`;

export const sameScope = (a: Scope, b: Scope): boolean => a.environment === b.environment && a.region === b.region;

/** `staging/eu-west-1` → a scope, or undefined when it is not two plausible segments. */
export function parseScopeKey(value: string | null | undefined): Scope | undefined {
  const [environment, region, extra] = (value ?? "").split("/");
  if (
    extra !== undefined ||
    !environment ||
    !region ||
    !SCOPE_SEGMENT.test(environment) ||
    !SCOPE_SEGMENT.test(region)
  ) {
    return undefined;
  }
  return { environment, region };
}

/**
 * Splits a scoped path into its scope and the unscoped path it stands for:
 * `/e/staging/eu-west-1/topology?x=1` → staging/eu-west-1 and `/topology?x=1`;
 * `/api/e/staging/eu-west-1/topology` → staging/eu-west-1 and `/api/topology`. Any other path has no scope.
 */
export function splitScopedPath(path: string): { scope?: Scope; path: string } {
  const match = /^(\/api)?\/e\/([^/?#]+)\/([^/?#]+)(.*)$/.exec(path);
  const scope = match ? parseScopeKey(`${match[2]}/${match[3]}`) : undefined;
  if (!match || !scope) return { path };
  const tail = match[4] ?? "";
  const rest = tail === "" || /^[?#]/.test(tail) ? `/${tail}` : tail;
  return { scope, path: `${match[1] ?? ""}${rest}` };
}

/** A console page's path (`/topology?x=1`) in a scope: unchanged without one, and for sign-in and the API. */
export function scopedPagePath(scope: Scope | undefined, path: string): string {
  if (!scope || !path.startsWith("/") || path.startsWith("//") || /^\/(login|api)(\/|\?|$)/.test(path)) return path;
  return `/e/${scope.environment}/${scope.region}${path === "/" ? "" : path}`;
}

/** An API path (`/api/topology`) in a scope: unchanged without one. */
export function scopedApiPath(scope: Scope | undefined, path: string): string {
  if (!scope || !path.startsWith("/api/")) return path;
  return `/api/e/${scope.environment}/${scope.region}${path.slice("/api".length)}`;
}

/** The scope of a scoped page's route parameters (`app/(console)/e/[env]/[region]/…`), undefined elsewhere. */
export function scopeOfParams(params: Record<string, unknown> | null | undefined): Scope | undefined {
  const { env, region } = params ?? {};
  return typeof env === "string" && typeof region === "string"
    ? parseScopeKey(`${decodeURIComponent(env)}/${decodeURIComponent(region)}`)
    : undefined;
}

/** The cookie remembering a user's last chosen environment and region, for the start page. */
export const LAST_SCOPE_COOKIE = "fanout-scope";

/** The cookie's value: the user and the scope, so that another user of the browser is not sent there. */
export const lastScopeCookie = (user: string, scope: Scope): string => encodeURIComponent(`${user}|${scopeKey(scope)}`);

/** The scope a cookie remembers for `user`, if it names them. */
export function scopeOfLastScopeCookie(value: string | undefined, user: string): Scope | undefined {
  if (!value) return undefined;
  let text: string;
  try {
    text = decodeURIComponent(value);
  } catch {
    return undefined;
  }
  const bar = text.lastIndexOf("|");
  return bar > 0 && text.slice(0, bar) === user ? parseScopeKey(text.slice(bar + 1)) : undefined;
}
