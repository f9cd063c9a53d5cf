import "server-only";
import { seal, sealingKey, unseal, UnsealError } from "../sealing";
import { resolveAuthSecret } from "./secret";

/**
 * A sign-in refusal's explanation travels to the login page in its URL (next-auth's signIn callback
 * can only redirect), sealed with a key of its own: nobody can make the login page say something of
 * their choosing with a crafted link, and the groups it names are not readable in the URL (history,
 * proxy logs). It is good for a few minutes, the time to read it.
 */

/** The `error` next-auth's redirect carries to the login page for this refusal. */
export const NO_CONSOLE_ROLE = "NoConsoleRole";

const PURPOSE = "sign-in refusal";
const CONTEXT = "login page";
const READABLE_MS = 10 * 60_000;

type SecretConfig = Parameters<typeof resolveAuthSecret>[0];

const keyOf = (config: SecretConfig) => sealingKey(resolveAuthSecret(config), PURPOSE);

/** The login page's address that shows `message`. */
export function refusalPage(message: string, config: SecretConfig): string {
  const sealed = seal(keyOf(config), JSON.stringify({ message, at: Date.now() }), CONTEXT);
  return `/login?${new URLSearchParams({ error: NO_CONSOLE_ROLE, refusal: sealed })}`;
}

/** The message `refusalPage` sealed; undefined when it is not one, was changed, or is too old. */
export function refusalMessage(refusal: string | undefined, config: SecretConfig): string | undefined {
  if (!refusal) return undefined;
  try {
    const { message, at } = JSON.parse(unseal(keyOf(config), refusal, CONTEXT)) as { message: string; at: number };
    return Date.now() - at <= READABLE_MS ? message : undefined;
  } catch (err) {
    if (err instanceof UnsealError || err instanceof SyntaxError) return undefined;
    throw err;
  }
}
