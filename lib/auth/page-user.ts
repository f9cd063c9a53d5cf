import "server-only";
import { notFound, redirect } from "next/navigation";
import { AppError } from "../domain/app-error";
import { environmentInScope, roleInEnvironment, type Environment } from "../domain/environments";
import type { Role } from "../domain/roles";
import { scopeOfParams, type Scope } from "../domain/scope";
import { getConfig } from "../env";
import { getSessionUser, type SessionUser } from "./session";

/**
 * For a console page: the signed-in user, the environment and region the page is in (its route's
 * `env` and `region`, or the default environment) and the user's role there. A signed-out browser
 * goes to sign in; an unknown environment or region is the console's 404.
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
    const { environment, region } = environmentInScope(getConfig().environments, scope);
    return { user, role: roleInEnvironment(user, environment), environment, region };
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
}

/** pageUser for a page's route parameters. */
export async function pageUserOf(params: Promise<Record<string, string>> | undefined) {
  return pageUser(scopeOfParams(await params));
}
