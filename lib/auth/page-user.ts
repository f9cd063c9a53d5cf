import "server-only";
import { notFound, redirect } from "next/navigation";
import { AppError } from "../domain/app-error";
import { environmentInScope, environmentListing, roleInEnvironment, type Environment } from "../domain/environments";
import type { Role } from "../domain/roles";
import { scopedPagePath, scopeOfParams, type Scope } from "../domain/scope";
import { getConfig } from "../env";
import { getSessionUser, type SessionUser } from "./session";

/**
 * For a console page: the signed-in user, the environment and region the page is in (its route's
 * `env` and `region`, or the default environment) and the user's role there. A signed-out browser
 * goes to sign in; an unknown environment or region is the console's 404; an environment no binding
 * of the user's reaches sends them to one that a binding does.
 */
export async function pageUser(
  scope: Scope | undefined,
  /** Where sign-in brings the browser back to; without it, the start page. */
  returnTo?: string,
): Promise<{
  user: SessionUser;
  role: Role;
  environment: Environment;
  region: string;
}> {
  const user = await getSessionUser();
  if (!user) redirect(returnTo ? `/login?callbackUrl=${encodeURIComponent(returnTo)}` : "/login");
  try {
    const config = getConfig();
    const { environment, region } = environmentInScope(config.environments, scope);
    const role = roleInEnvironment(user.access, environment);
    if (role) return { user, role, environment, region };
    // No binding of theirs reaches this environment: the start page of the first one that does.
    const elsewhere = environmentListing(config.environments, user.access)[0];
    if (elsewhere) redirect(scopedPagePath({ environment: elsewhere.id, region: elsewhere.regions[0]! }, "/"));
    notFound();
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
}

/** pageUser for a page's route parameters. */
export async function pageUserOf(params: Promise<Record<string, string>> | undefined) {
  return pageUser(scopeOfParams(await params));
}
