import { NextResponse, type NextRequest } from "next/server";
import { pageCsp } from "./lib/api/security-headers";

/**
 * For every page: a fresh CSP nonce (Next reads it from the request's Content-Security-Policy and
 * puts it on its scripts), the same policy on the response, and the requested path for server
 * layouts, so a sign-in redirect can bring the user back to it.
 */
export function proxy(req: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const csp = pageCsp(nonce, process.env.NODE_ENV !== "production");
  const headers = new Headers(req.headers);
  headers.set("x-fanout-path", req.nextUrl.pathname + req.nextUrl.search);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("Content-Security-Policy", csp);
  return res;
}

export const config = { matcher: ["/((?!api/|_next/|favicon.ico).*)"] };
