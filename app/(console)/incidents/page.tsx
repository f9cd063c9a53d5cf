import type { Metadata } from "next";
import { ScopedLink } from "@/components/ui/scoped-link";
import { EnvironmentOverview } from "@/components/incidents/environment-overview";
import { IncidentList } from "@/components/incidents/incident-list";
import { Term } from "@/components/ui/term";
import { pageUserOf } from "@/lib/auth/page-user";
import { environmentListing } from "@/lib/domain/environments";
import { getConfig } from "@/lib/env";

export const metadata: Metadata = { title: "Incidents" };

/**
 * The start page: what is broken now, most severe first; the topology one click away. With more than
 * one environment or region, every one of them first, summed up: where is it broken?
 */
export default async function IncidentsPage({ params }: { params: Promise<Record<string, string>> }) {
  const { user, environment, region } = await pageUserOf(params);
  const environments = environmentListing(getConfig().environments, user.access);
  const several = environments.flatMap((e) => e.regions).length > 1;
  return (
    <div className="page page-wide">
      <h1>Incidents</h1>
      <p className="lede">
        What is broken now, most severe first: <Term term="error-budget">error budgets</Term> spent at too high a{" "}
        <Term term="burn-rate" />, alarms firing, dead letters, paused consumers and configuration{" "}
        <Term term="finding">findings</Term>, each linked to the page that explains it; refreshed every 15 seconds.
      </p>
      <p>
        <ScopedLink href="/topology">See the whole topology →</ScopedLink>
      </p>
      {several ? (
        <>
          <EnvironmentOverview environments={environments} current={{ environment: environment.id, region }} />
          <h2>
            Incidents in {environment.name} · {region}
          </h2>
        </>
      ) : null}
      <IncidentList titleLevel={several ? 3 : 2} />
    </div>
  );
}
