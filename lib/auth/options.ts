import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getConfig } from "../env";
import { singleSignOnBindings } from "../domain/group-roles";
import { oidcIdentity } from "../domain/identity";
import { noConsoleRoleMessage } from "../domain/sign-in-refusal";
import { isRole, type Role } from "../domain/roles";
import { highestBoundRole } from "../domain/bindings";
import { safeCallbackPath } from "../domain/callback-url";
import { PASSWORD_SESSION_MS, type SessionProvider } from "../domain/session-lifetime";
import { resolveAuthSecret } from "./secret";
import { configuredBindings, endSession, startSession } from "./sessions";
import { auditSignIn, clientAddress, signInWithPassword } from "./sign-in";
import { refusalPage } from "./sign-in-refusal";

/** The cookie's own lifetime; the server ends a session a fixed time after sign-in (lib/auth/sessions.ts). */
const sessionMaxAgeSeconds = PASSWORD_SESSION_MS / 1000;

export type AuthProvider = SessionProvider;

declare module "next-auth" {
  interface User {
    /** A password user's highest role anywhere; a single sign-on user's role claim. */
    role?: Role;
    /** A single sign-on user's groups (lib/domain/group-roles.ts maps them to bindings). */
    groups?: string[];
  }
  interface Session {
    user: { name: string; role: Role; provider: AuthProvider };
    /** The server-side session id (not a credential on its own: it counts only inside the signed cookie). */
    sid?: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: Role;
    provider?: AuthProvider;
    sid?: string;
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
        return user
          ? { id: user.username, name: user.username, role: highestBoundRole(configuredBindings(user, config)) }
          : null;
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
      // The user's groups, kept with the session and mapped to bindings on each request (lib/domain/group-roles.ts).
      profile: (profile: Record<string, unknown>) => oidcIdentity(profile, oidc.roleClaim, oidc.groupsClaim),
    });
  }
  options = {
    secret: resolveAuthSecret(config),
    session: { strategy: "jwt", maxAge: sessionMaxAgeSeconds },
    pages: { signIn: "/login", error: "/login" },
    providers,
    callbacks: {
      // An identity-provider user whose groups map to nothing and whose token names no console role
      // gets no session, and the login page says why (lib/domain/sign-in-refusal.ts).
      signIn: async ({ user, account }) => {
        if (account?.provider !== "oidc" || !oidc) return isRole(user.role);
        const groups = user.groups ?? [];
        const bindings = singleSignOnBindings(user.role, groups, config.environments);
        // Password sign-ins are audited where they are checked; identity-provider ones here.
        await auditSignIn(
          user.name ?? user.id,
          highestBoundRole(bindings),
          bindings.length > 0 ? "success" : "failure",
          undefined,
          "oidc",
          bindings.length > 0 ? undefined : "no group of the user's is mapped and the token names no console role",
          { groups: groups.slice(0, 50), bindings: bindings.length },
        );
        if (bindings.length > 0) return true;
        return refusalPage(noConsoleRoleMessage({ groups, roleClaim: oidc.roleClaim }), config);
      },
      // At sign-in (a user is given), a new server-side session whose id the cookie carries.
      async jwt({ token, user, account }) {
        if (user) {
          const provider: AuthProvider = account?.provider === "oidc" ? "oidc" : "credentials";
          token.role = user.role;
          token.provider = provider;
          token.sid = await startSession({
            name: user.name ?? user.id,
            role: user.role ?? "none",
            provider,
            ...(provider === "oidc" ? { groups: user.groups ?? [] } : {}),
          });
        }
        return token;
      },
      session({ session, token }) {
        session.user = {
          name: token.name ?? "",
          role: token.role ?? "viewer",
          provider: token.provider ?? "credentials",
        };
        session.sid = token.sid;
        return session;
      },
      // After signing in, only a page of this console (lib/domain/callback-url.ts).
      redirect: ({ url, baseUrl }) =>
        new URL(safeCallbackPath(url.startsWith(baseUrl) ? url.slice(baseUrl.length) || "/" : url, baseUrl), baseUrl)
          .href,
    },
    events: {
      // Signing out ends the session on the server too: a copy of the cookie stops working.
      signOut: async ({ token }) => {
        if (token?.sid) await endSession(token.sid, "signed out");
      },
    },
  };
  return options;
}
