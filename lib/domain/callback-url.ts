/**
 * Where the browser goes after signing in: a path of this console, never another site. A value
 * that starts with `/` is not enough: browsers drop tabs and newlines from URLs and read `\` as `/`
 * (WHATWG URL standard, "URL parsing": ASCII tab or newline removed, `\` a path separator for
 * special schemes), so `/\evil.example` and `/<tab>/evil.example` lead off-site.
 */

/** The start page: what is broken now (app/(console)/incidents). */
export const START_PAGE = "/incidents";

export function safeCallbackPath(callbackUrl: string | undefined, origin: string): string {
  if (!callbackUrl || !callbackUrl.startsWith("/") || callbackUrl.startsWith("//")) return START_PAGE;
  // Backslashes, control characters and whitespace have no place in a console path.
  if (/[\\\s\u0000-\u001f\u007f]/.test(callbackUrl)) return START_PAGE;
  let url: URL;
  try {
    url = new URL(callbackUrl, origin);
  } catch {
    return START_PAGE;
  }
  if (url.origin !== new URL(origin).origin) return START_PAGE;
  return url.pathname + url.search + url.hash;
}
