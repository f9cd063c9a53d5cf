"use client";
import { ScopedLink } from "@/components/ui/scoped-link";
import { useFiringAlertCount } from "@/lib/queries/alerts";

/**
 * The header's link to the alerts page, with how many fire now in this environment and region: the
 * on-call sees it from any page. Nothing while loading; an unreadable answer says so, since no
 * count is no all-clear.
 */
export function FiringAlerts() {
  const alerts = useFiringAlertCount();
  if (alerts.isPending) return null;
  if (alerts.isError)
    return (
      <ScopedLink href="/alerts" className="firing-alerts firing-alerts-unknown">
        alerts not read
      </ScopedLink>
    );
  const firing = alerts.data.firing;
  return (
    <ScopedLink href="/alerts" className={firing ? "firing-alerts firing-alerts-on" : "firing-alerts"}>
      {firing ? `${firing} alert${firing === 1 ? "" : "s"} firing` : "no alert firing"}
    </ScopedLink>
  );
}
