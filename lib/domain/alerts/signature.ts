import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The generic webhook's signature: `X-Fanout-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">`, keyed by the webhook secret. The time is signed with the body, so a receiver that
 * checks it against its own clock refuses a delivery replayed later; each retry is signed afresh.
 */

export const SIGNATURE_HEADER = "X-Fanout-Signature";

/** How far a receiver should let the signed time be from its own clock: five minutes. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const digestOf = (secret: string, timestamp: number, body: string): string =>
  createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");

/** The header's value for `body` signed at `nowSeconds`. */
export function signatureHeader(body: string, secret: string, nowSeconds: number): string {
  const t = Math.floor(nowSeconds);
  return `t=${t},v1=${digestOf(secret, t, body)}`;
}

/**
 * Whether a header signs `body` with `secret` at a time within the tolerance of `nowSeconds`: what a
 * receiver does (the demo's, the tests'). Compared in constant time.
 */
export function verifySignature(
  header: string | undefined,
  body: string,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  const fields = new Map(
    (header ?? "").split(",").map((part) => {
      const at = part.indexOf("=");
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const t = fields.get("t");
  const v1 = fields.get("v1");
  if (!t || !/^\d{1,12}$/.test(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs(nowSeconds - Number(t)) > toleranceSeconds) return false;
  return timingSafeEqual(Buffer.from(v1, "hex"), Buffer.from(digestOf(secret, Number(t), body), "hex"));
}
