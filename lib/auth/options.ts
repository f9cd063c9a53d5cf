import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getConfig } from "../env";
import { oidcIdentity } from "../domain/identity";
import { isRole, type Role } from "../domain/roles";
import { resolveAuthSecret } from "./secret";
import { auditSignIn, clientAddress, signInWithPassword } from "./sign-in";

/** A session lasts a working shift; the role is re-read on every request regardless. */
const sessionMaxAgeSeconds = 8 * 60 * 60;

export type AuthProvider = "credentials" | "oidc";

declare module "next-auth" {
  interface User {
    role?: Role;
  }
  interface Session {
    user: { name: string; role: Role; provider: AuthProvider };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: Role;
    provider?: AuthProvider;
  }
}

let options: NextAuthOptions | undefined;

/** next-auth configuration, built on first use so that config errors surface at start-up, not at build. */
export function getAuthOptions(): NextAuthOptions {
  if (options) return options;
  const config = getConfig();
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Username and password",
      credentials: { username: { label: "Username", type: "text" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const username = credentials?.username ?? "";
        const password = credentials?.password ?? "";
        if (!username || !password) return null;
        const user = await signInWithPassword(username, password, clientAddress(req?.headers, config), config);
        return user ? { id: user.username, name: user.username, role: user.role } : null;
      },
    }),
  ];
  const oidc = config.oidc;
  if (oidc) {
    providers.push({
      id: "oidc",
      name: "Single sign-on",
      type: "oauth",
      wellKnown: `${oidc.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: oidc.clientId,
      clientSecret: oidc.clientSecret,
      authorization: { params: { scope: "openid profile email" } },
      idToken: true,
      checks: ["pkce", "state"],
      // Named `oidc:<name>`, apart from password users (lib/domain/identity.ts).
      profile: (profile: Record<string, unknown>) => oidcIdentity(profile, oidc.roleClaim),
    });
  }
  options = {
    secret: resolveAuthSecret(config),
    session: { strategy: "jwt", maxAge: sessionMaxAgeSeconds },
    pages: { signIn: "/login", error: "/login" },
    providers,
    callbacks: {
      // An identity-provider user whose token names no console role gets no session.
      signIn: ({ user, account }) => {
        // Password sign-ins are audited where they are checked; identity-provider ones here.
        if (account?.provider === "oidc") auditSignIn(user.name ?? user.id, user.role, isRole(user.role) ? "success" : "failure", undefined, "oidc", isRole(user.role) ? undefined : "the identity provider's token names no console role");
        return isRole(user.role);
      },
      jwt({ token, user, account }) {
        if (user) {
          token.role = user.role;
          token.provider = account?.provider === "oidc" ? "oidc" : "credentials";
        }
        return token;
      },
      session({ session, token }) {
        session.user = { name: token.name ?? "", role: token.role ?? "viewer", provider: token.provider ?? "credentials" };
        return session;
      },
    },
  };
  return options;
}
