import { isLoopbackUrl } from "../loopback";

/**
 * Where an alert destination may point: the allow-list and its check. Apart from the payloads and
 * their signatures (node:crypto), so that the browser's bundle of the environments' settings stays small.
 */

export type DestinationKind = "webhook" | "slack" | "pagerduty";

/** PagerDuty Developer Docs, Events API v2, "Send an Alert Event": Endpoint. */
export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

/** The services' own hosts; a generic webhook's host is added by whoever configures it. */
export const DEFAULT_ALLOWED_HOSTS: readonly string[] = [
  "hooks.slack.com",
  "events.pagerduty.com",
  "events.eu.pagerduty.com",
];

export interface DestinationPolicy {
  /** The console runs against loopback endpoints only: a loopback destination (the demo's receiver) is allowed. */
  localMode: boolean;
  /** Host names (`hooks.slack.com`) or subdomain patterns (`*.example.com`), besides the defaults. */
  allowedHosts: readonly string[];
}

const hostAllowed = (host: string, allowed: readonly string[]): boolean =>
  [...DEFAULT_ALLOWED_HOSTS, ...allowed].some((entry) => {
    const pattern = entry.toLowerCase();
    return pattern.startsWith("*.") ? host.endsWith(pattern.slice(1)) : host === pattern;
  });

/** Why a destination URL may not be sent to, or undefined when it may. */
export function destinationUrlProblem(url: string, policy: DestinationPolicy): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not a URL";
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return "must be an http(s) URL";
  // fetch refuses a URL with credentials; a secret belongs in the path or in the signature's key.
  if (parsed.username || parsed.password) return "must not carry a user name or password";
  if (isLoopbackUrl(url)) return policy.localMode ? undefined : "is on this machine, which only local mode allows";
  if (parsed.protocol !== "https:") return "must be https outside this machine";
  const host = parsed.hostname.toLowerCase();
  if (!hostAllowed(host, policy.allowedHosts))
    return `goes to ${host}, which is not on the alert destinations' allow-list`;
  return undefined;
}
