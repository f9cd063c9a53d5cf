import type { Metadata } from "next";
import { AlertsBoard } from "@/components/alerts/alerts-board";
import { DestinationsPanel } from "@/components/alerts/destinations-panel";
import { pageUserOf } from "@/lib/auth/page-user";
import { roleAtLeast } from "@/lib/domain/roles";
import { configuredDestinations } from "@/lib/alerts-config";
import { getConfig } from "@/lib/env";

export const metadata: Metadata = { title: "Alerts" };
export const dynamic = "force-dynamic";

/**
 * The alerts of this environment and region: what fires now, what resolved in the last day, and the
 * silences. Operators silence; whether they may silence a given resource, the API says.
 */
export default async function AlertsPage({ params }: { params: Promise<Record<string, string>> }) {
  const { environment, region, role } = await pageUserOf(params);
  // The rules run only where someone is told (lib/background.ts): without a destination, say so.
  const evaluated = configuredDestinations(getConfig()).length > 0;
  return (
    <div className="page">
      <h1>Alerts</h1>
      <p className="lede">
        What the console tells the on-call in {environment.name} · {region}, evaluated every minute: each alert links to
        the page that explains it. A silence stops the notifications of a rule or of some resources for a while, with a
        reason; the alerts still show here.
      </p>
      {evaluated ? null : (
        <p className="state state-info" role="note">
          No alert destination is configured (<code>FANOUT_ALERTS_WEBHOOK</code>, or an environment&apos;s{" "}
          <code>alerts.destinations</code>), so the rules are not evaluated: nothing below is current.
        </p>
      )}
      <AlertsBoard canSilence={roleAtLeast(role, "operator") && !environment.readOnly} evaluated={evaluated} />
      {/* Who is told, and the key they verify with: admins only (the routes refuse others). */}
      {roleAtLeast(role, "admin") ? <DestinationsPanel /> : null}
    </div>
  );
}
