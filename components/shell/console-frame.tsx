import type { ReactNode } from "react";
import { pageUser } from "@/lib/auth/page-user";
import { environmentListing } from "@/lib/domain/environments";
import type { Scope } from "@/lib/domain/scope";
import { getConfig } from "@/lib/env";
import { environmentBadge } from "@/lib/operations/endpoint";
import { contextFromConfig } from "@/lib/request-context";
import { ConsoleShell } from "./console-shell";

/**
 * What the console layouts render around a page: a signed-out browser goes to sign in and comes
 * back to `path`; a signed-in user gets the shell of the page's environment and region (the
 * default one for an unscoped page), with their role there. An unknown environment is a 404.
 */
export async function ConsoleFrame({
  scope,
  path,
  children,
}: {
  scope: Scope | undefined;
  path: string;
  children: ReactNode;
}) {
  const { user, role, environment, region } = await pageUser(scope, path);
  const config = getConfig();
  const badge = await environmentBadge(
    contextFromConfig(config, { name: user.name, role, access: user.access }, undefined, scope),
  );
  const environments = environmentListing(config.environments, user.access);
  const scoped = environments.find((listing) => listing.id === environment.id)?.scoped ?? false;
  return (
    <ConsoleShell
      user={{ name: user.name, role, scoped }}
      badge={badge}
      environments={environments}
      current={{ environment: environment.id, region, kind: environment.kind, readOnly: environment.readOnly }}
    >
      {children}
    </ConsoleShell>
  );
}
