import type { Metadata } from "next";
import { AlertsBoard } from "@/components/alerts/alerts-board";
import { DestinationsPanel } from "@/components/alerts/destinations-panel";
import { pageUserOf } from "@/lib/auth/page-user";
import { roleAtLeast } from "@/lib/domain/roles";
import { destinationsOfEnvironment } from "@/lib/alerts-config";
import { getConfig } from "@/lib/env";
import { formatDuration } from "@/lib/domain/dead-letters";

export const metadata: Metadata = { title: "Alerts" };
export const dynamic = "force-dynamic";

/**
 * The alerts of this environment and region: what fires now, what resolved in the last day, and the
 * silences. Operators silence; whether they may silence a given resource, the API says.
 */
export default async function AlertsPage({ params }: { params: Promise<Record<string, string>> }) {
  const { environment, region, role } = await pageUserOf(params);
  // The rules run whether or not anyone is told (lib/background.ts): without a destination, say so.
  const config = getConfig();
  const notified = (await destinationsOfEnvironment(config, environment)).length > 0;
  const every = config.alertsEvaluateEverySeconds;
  return (
    <div className="page">
      <h1>Alerts</h1>
      <p className="lede">
        What the console tells the on-call in {environment.name} · {region}, evaluated{" "}
        {every === 60 ? "every minute" : `every ${formatDuration(every)}`}: each alert links to the page that explains
        it. A silence stops the notifications of a rule or of some resources for a while, with a reason; the alerts
        still show here.
      </p>
      {notified ? null : (
        <p className="state state-info" role="note">
          No alert destination is configured (<code>FANOUT_ALERTS_WEBHOOK</code>, an environment&apos;s{" "}
          <code>alerts.destinations</code>, or one an admin adds below): alerts are listed here, and nobody is notified
          of them.
        </p>
      )}
      <AlertsBoard canSilence={roleAtLeast(role, "operator") && !environment.readOnly} />
      {/* Who is told, and the key they verify with: admins only (the routes refuse others). */}
      {roleAtLeast(role, "admin") ? <DestinationsPanel /> : null}
    </div>
  );
}
