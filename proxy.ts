import { NextResponse, type NextRequest } from "next/server";
import { pageCsp } from "./lib/api/security-headers";
import { SCOPE_HEADER, scopeKey, splitScopedPath } from "./lib/domain/scope";

/**
 * For the API: `/api/e/{env}/{region}/…` is the unscoped route it names, told its environment in the
 * x-fanout-scope header (which only this proxy sets: a client's own is dropped on every request).
 *
 * For every page: a fresh CSP nonce (Next reads it from the request's Content-Security-Policy and
 * puts it on its scripts), the same policy on the response, and the requested path for server
 * layouts, so a sign-in redirect can bring the user back to it and the shell knows the environment.
 */
export function proxy(req: NextRequest) {
  const headers = new Headers(req.headers);
  headers.delete(SCOPE_HEADER);
  if (req.nextUrl.pathname.startsWith("/api/")) {
    const { scope, path } = splitScopedPath(req.nextUrl.pathname);
    if (!scope) return NextResponse.next({ request: { headers } });
    headers.set(SCOPE_HEADER, scopeKey(scope));
    const target = req.nextUrl.clone();
    target.pathname = path;
    return NextResponse.rewrite(target, { request: { headers } });
  }
  const nonce = btoa(crypto.randomUUID());
  const csp = pageCsp(nonce, process.env.NODE_ENV !== "production");
  headers.set("x-fanout-path", req.nextUrl.pathname + req.nextUrl.search);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("Content-Security-Policy", csp);
  return res;
}

export const config = { matcher: ["/((?!_next/|favicon.ico).*)"] };
