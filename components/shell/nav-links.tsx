"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

export const consoleSections = [
  { href: "/topology", label: "Topology" },
  { href: "/filter-policies", label: "Filter policies" },
  { href: "/dead-letters", label: "Dead letters" },
  { href: "/dashboards", label: "Dashboards" },
  { href: "/traces", label: "Traces" },
  { href: "/audit", label: "Audit" },
] as const;

export function NavLinks() {
  const pathname = usePathname();
  return (
    <nav aria-label="Console sections" className="nav">
      <ul>
        {consoleSections.map((s) => {
          const current = pathname === s.href || pathname.startsWith(`${s.href}/`);
          return (
            <li key={s.href}>
              <Link
                href={s.href}
                aria-current={current ? "page" : undefined}
                className={current ? "nav-link active" : "nav-link"}
              >
                {s.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
