import type { ReactNode } from "react";
import Link from "next/link";
import type { SessionUser } from "@/lib/auth/session";
import { START_PAGE } from "@/lib/domain/callback-url";
import type { EnvironmentInfo } from "@/lib/domain/environment";
import { NavLinks } from "./nav-links";
import { HealthIndicator } from "./health-indicator";
import { SignOutButton } from "./sign-out-button";

/** The frame of every console page: navigation, environment, live health and the signed-in user. */
export function ConsoleShell({
  user,
  environment,
  children,
}: {
  user: SessionUser;
  environment: EnvironmentInfo;
  children: ReactNode;
}) {
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href={START_PAGE} className="brand">
          Fanout
        </Link>
        <span
          className={environment.local ? "env-badge env-local" : "env-badge env-aws"}
          data-testid="environment-badge"
        >
          {environment.label}
        </span>
        <HealthIndicator />
        <span className="topbar-spacer" />
        <span className="user" data-testid="signed-in-user">
          {user.name} <span className="role-badge">{user.role}</span>
        </span>
        <SignOutButton />
      </header>
      <div className="shell-body">
        <NavLinks />
        <main id="main" className="content">
          {children}
        </main>
      </div>
    </div>
  );
}
