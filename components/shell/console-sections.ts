/** The console's sections, in the navigation and on the 404 page; a plain module so server pages can read it. */
export const consoleSections = [
  { href: "/incidents", label: "Incidents" },
  { href: "/alerts", label: "Alerts" },
  { href: "/topology", label: "Topology" },
  { href: "/filter-policies", label: "Filter policies" },
  { href: "/dead-letters", label: "Dead letters" },
  { href: "/dashboards", label: "Dashboards" },
  { href: "/traces", label: "Traces" },
  { href: "/audit", label: "Audit" },
  { href: "/tokens", label: "API tokens" },
  { href: "/access", label: "Access" },
] as const;
