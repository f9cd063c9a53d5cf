import type { ReactNode } from "react";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import ConsoleLayout from "../(console)/layout";

export const dynamic = "force-dynamic";

/**
 * The console's layout (session check and shell) without its loading boundary: a missing page's 404
 * is decided before anything is streamed, so the answer's status is 404 rather than 200. API paths
 * do not pass the page proxy (no x-fanout-path): theirs stays the plain 404, never a sign-in redirect.
 */
export default async function MissingPageLayout({ children }: { children: ReactNode }) {
  if (!(await headers()).has("x-fanout-path")) notFound();
  return <ConsoleLayout>{children}</ConsoleLayout>;
}
