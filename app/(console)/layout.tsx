import type { ReactNode } from "react";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { ConsoleShell } from "@/components/shell/console-shell";
import { getSessionUser } from "@/lib/auth/session";
import { START_PAGE } from "@/lib/domain/callback-url";
import { getConfig } from "@/lib/env";
import { environmentBadge } from "@/lib/operations/endpoint";
import { contextFromConfig } from "@/lib/request-context";

export const dynamic = "force-dynamic";

/** Every console page needs a session; without one the browser goes to /login and comes back after. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  if (!user) {
    const path = (await headers()).get("x-fanout-path") ?? START_PAGE;
    redirect(`/login?callbackUrl=${encodeURIComponent(path)}`);
  }
  const environment = await environmentBadge(contextFromConfig(getConfig(), { name: user.name, role: user.role }));
  return (
    <ConsoleShell user={user} environment={environment}>
      {children}
    </ConsoleShell>
  );
}
