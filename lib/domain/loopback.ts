/**
 * Whether a URL points at this machine. Local mode (plain passwords, generated secrets) and the
 * test suites' refusal of remote endpoints both hinge on this, so it is strict: a hostname that
 * merely resolves to loopback does not count, only the literal names below.
 */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host === "[::1]" || host === "::1") return true;
  // 127.0.0.0/8 in dotted-quad form only; `new URL` already normalises other IPv4 notations.
  const octets = host.split(".");
  return octets.length === 4 && octets[0] === "127" && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}
