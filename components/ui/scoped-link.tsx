"use client";
import Link from "next/link";
import type { ComponentProps } from "react";
import { usePagePath } from "@/lib/queries/scope";

/**
 * A link to a console page that stays in the page's environment and region: `/topology` on a page
 * of `/e/staging/eu-west-1/…` leads to `/e/staging/eu-west-1/topology`. Links that must leave the
 * scope (the environment switcher) use next/link with a full path.
 */
export function ScopedLink({ href, ...props }: ComponentProps<typeof Link>) {
  const pagePath = usePagePath();
  return <Link href={typeof href === "string" ? pagePath(href) : href} {...props} />;
}
