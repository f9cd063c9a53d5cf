import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";

/**
 * Encryption at rest for what the store must keep but nobody who reads the database may use: a
 * dead letter's receipt handle lets its holder delete the letter. AES-256-GCM under a key derived from
 * the server secret for one purpose, never the secret itself, which signs sessions. Authenticated,
 * with the place a value belongs (`context`, e.g. its row's key) as additional data: a changed value,
 * or one moved to another row, is refused rather than opened. Every replica on one store shares
 * NEXTAUTH_SECRET, so each can open what another sealed.
 */

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The key for one purpose: a different purpose gets a different key from the same secret. */
export function sealingKey(secret: string, purpose: string): Buffer {
  return createHmac("sha256", secret).update(`fanout sealing ${VERSION}: ${purpose}`).digest();
}

/** `text` encrypted and authenticated under `key` for `context`, as `v1.<base64url of iv, tag and ciphertext>`. */
export function seal(key: Buffer, text: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const sealed = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url")}`;
}

export class UnsealError extends Error {}

/** The text `seal` encrypted; throws UnsealError when the key or the context differs, or the value was changed. */
export function unseal(key: Buffer, value: string, context: string): string {
  const [version, payload] = value.split(".", 2);
  if (version !== VERSION || payload === undefined) throw new UnsealError("not a sealed value of this version");
  const bytes = Buffer.from(payload, "base64url");
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new UnsealError("sealed value too short");
  const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  decipher.setAAD(Buffer.from(context, "utf8"));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new UnsealError("sealed with another key or for another place, or changed since");
  }
}
