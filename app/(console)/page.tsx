import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getSessionUser } from "@/lib/auth/session";
import { START_PAGE } from "@/lib/domain/callback-url";
import { LAST_SCOPE_COOKIE, scopedPagePath, scopeOfLastScopeCookie } from "@/lib/domain/scope";
import { getConfig } from "@/lib/env";

/** The start page, in the environment and region the user chose last when it still exists. */
export default async function Home() {
  const user = await getSessionUser();
  const last = user && scopeOfLastScopeCookie((await cookies()).get(LAST_SCOPE_COOKIE)?.value, user.name);
  const exists =
    last && getConfig().environments.some((e) => e.id === last.environment && e.regions.includes(last.region));
  redirect(scopedPagePath(exists ? last : undefined, START_PAGE));
}
