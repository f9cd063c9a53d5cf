import type { ReactNode } from "react";
import type { Role } from "@/lib/domain/roles";
import { START_PAGE } from "@/lib/domain/callback-url";
import type { EnvironmentInfo } from "@/lib/domain/environment";
import type { EnvironmentKind, EnvironmentListing } from "@/lib/domain/environments";
import { ScopedLink } from "@/components/ui/scoped-link";
import { EnvironmentSwitcher } from "./environment-switcher";
import { NavLinks } from "./nav-links";
import { FiringAlerts } from "./firing-alerts";
import { HealthIndicator } from "./health-indicator";
import { SignOutButton } from "./sign-out-button";

export interface CurrentEnvironment {
  environment: string;
  region: string;
  kind: EnvironmentKind;
  readOnly: boolean;
}

/**
 * The frame of every console page: navigation, the environment and region (production marked on
 * every page), live health and the signed-in user with their role in this environment.
 */
export function ConsoleShell({
  user,
  badge,
  environments,
  current,
  children,
}: {
  /** `scoped`: the role holds on some resources only (the user's bindings here name resources or tags). */
  user: { name: string; role: Role; scoped: boolean };
  badge: EnvironmentInfo;
  environments: EnvironmentListing[];
  current: CurrentEnvironment;
  children: ReactNode;
}) {
  return (
    <div className="shell" data-environment-kind={current.kind}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <ScopedLink href={START_PAGE} className="brand">
          Fanout
        </ScopedLink>
        <EnvironmentSwitcher user={user.name} environments={environments} current={current} />
        {current.kind === "production" && (
          <span className="production-flag" data-testid="production-flag">
            Production
          </span>
        )}
        {current.readOnly && <span className="env-badge env-read-only">read-only</span>}
        <span className={badge.local ? "env-badge env-local" : "env-badge env-aws"} data-testid="environment-badge">
          {badge.label}
        </span>
        <HealthIndicator />
        <FiringAlerts />
        <span className="topbar-spacer" />
        <span className="user" data-testid="signed-in-user">
          {user.name}{" "}
          <span className="role-badge" title={user.scoped ? "on some resources only, as your bindings say" : undefined}>
            {user.scoped ? `${user.role} (scoped)` : user.role}
          </span>
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
