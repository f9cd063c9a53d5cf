import "server-only";
import { getServerSession } from "next-auth";
import { getAuthOptions } from "./options";
import { resolveSessionUser, type SessionUser } from "./sessions";

export type { SessionUser } from "./sessions";

/**
 * The signed-in user with their role as of now, if their session is still live on the server
 * (lib/auth/sessions.ts). Password users are looked up again on every call, so a removed user
 * loses access and a changed role applies at once, whatever the cookie says. Identity-provider
 * users carry the role their provider asserted at sign-in, for their shorter session.
 */
export async function getSessionUser(): Promise<SessionUser | undefined> {
  const session = await getServerSession(getAuthOptions());
  const user = session?.user;
  if (!user?.name) return undefined;
  return resolveSessionUser({ sid: session?.sid, name: user.name, provider: user.provider });
}
