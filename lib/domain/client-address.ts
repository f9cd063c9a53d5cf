/**
 * The address a sign-in came from, for the per-address limit and the audit trail.
 *
 * `X-Forwarded-For` is a list each proxy appends the address it received the request from to
 * (nginx `$proxy_add_x_forwarded_for`, AWS ALB); whatever is left of those entries is what the client
 * sent, and a client can send anything. Next.js adds the socket address only when the header is
 * absent, so without a proxy in front the header is entirely the client's choice. Hence: with
 * `trustedProxies` = 0 the header is ignored (the address is unknown); with N trusted proxies the
 * client is the entry N from the right, the one the outermost trusted proxy wrote (MDN,
 * "X-Forwarded-For", Selecting an IP address: "trusted proxy count").
 */

/** Longer than any IPv6 address with a zone; anything longer is not an address. */
const MAX_ADDRESS_LENGTH = 64;

export function clientAddressFrom(
  forwardedFor: string | string[] | undefined,
  trustedProxies: number,
): string | undefined {
  if (trustedProxies <= 0 || forwardedFor === undefined) return undefined;
  // Repeated headers count as one list, in order (RFC 9110, section 5.3).
  const entries = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor).split(",").map((e) => e.trim());
  // Fewer entries than trusted proxies: the request did not come through all of them.
  if (entries.length < trustedProxies) return undefined;
  const address = entries[entries.length - trustedProxies]!;
  return address && address.length <= MAX_ADDRESS_LENGTH ? address : undefined;
}
