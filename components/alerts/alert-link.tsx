"use client";
import Link from "next/link";
import type { ReactNode } from "react";
import { alertLinkOf } from "@/lib/domain/alerts/alerts-view";
import { ScopedLink } from "../ui/scoped-link";

/** The page that explains an alert; its text when the link is not one the console can follow safely. */
export function AlertLink({ link, children }: { link: string; children: ReactNode }) {
  const target = alertLinkOf(link);
  if (!target) return <>{children}</>;
  if (target.kind === "console") return <ScopedLink href={target.href}>{children}</ScopedLink>;
  if (target.kind === "scoped") return <Link href={target.href}>{children}</Link>;
  return <a href={target.href}>{children}</a>;
}
