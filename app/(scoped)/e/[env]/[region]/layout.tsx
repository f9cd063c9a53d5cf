import type { ReactNode } from "react";
import { headers } from "next/headers";
import { ConsoleFrame } from "@/components/shell/console-frame";
import { scopedPagePath, scopeOfParams } from "@/lib/domain/scope";
import { START_PAGE } from "@/lib/domain/callback-url";

export const dynamic = "force-dynamic";

/**
 * Every console page in an environment and region (`/e/{env}/{region}/…`). A layout of its own, below
 * the environment's segment, so that switching environments renders the shell again.
 */
export default async function ScopedConsoleLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<Record<string, string>>;
}) {
  const scope = scopeOfParams(await params);
  const path = (await headers()).get("x-fanout-path") ?? scopedPagePath(scope, START_PAGE);
  return (
    <ConsoleFrame scope={scope} path={path}>
      {children}
    </ConsoleFrame>
  );
}
