import "server-only";
import { getServerSession } from "next-auth";
import type { Role } from "../domain/roles";
import { getAuthOptions, type AuthProvider } from "./options";
import { findUser } from "./users";

export interface SessionUser {
  name: string;
  role: Role;
  provider: AuthProvider;
}

/**
 * The signed-in user with their role as of now. Password users are looked up again on every
 * call, so a removed user loses access and a changed role applies at once, whatever the cookie
 * says. Identity-provider users carry the role their provider asserted at sign-in.
 */
export async function getSessionUser(): Promise<SessionUser | undefined> {
  const session = await getServerSession(getAuthOptions());
  const user = session?.user;
  if (!user?.name) return undefined;
  if (user.provider === "oidc") return user;
  const current = findUser(user.name);
  return current ? { name: current.username, role: current.role, provider: "credentials" } : undefined;
}
