/**
 * A state-changing request must come from a page of this console (CSRF): its `Origin` is the
 * console's. With NEXTAUTH_URL set, that is the configured public origin (scheme, host and port),
 * which no request header can change; otherwise the request's own Host (or X-Forwarded-Host, which
 * Next sets only when a proxy has not). Without an Origin, the browser's `Sec-Fetch-Site` must say
 * same-origin.
 */
export function isSameOrigin(req: Request, consoleUrl?: string): boolean {
  const origin = req.headers.get("origin");
  if (!origin) return req.headers.get("sec-fetch-site") === "same-origin";
  try {
    if (consoleUrl) return new URL(origin).origin === new URL(consoleUrl).origin;
    const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
