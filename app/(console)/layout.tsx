import type { ReactNode } from "react";
import { headers } from "next/headers";
import { ConsoleFrame } from "@/components/shell/console-frame";
import { START_PAGE } from "@/lib/domain/callback-url";

export const dynamic = "force-dynamic";

/** Every unscoped console page: it acts in the default environment (the first configured, its first region). */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const path = (await headers()).get("x-fanout-path") ?? START_PAGE;
  return (
    <ConsoleFrame scope={undefined} path={path}>
      {children}
    </ConsoleFrame>
  );
}
