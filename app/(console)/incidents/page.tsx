import type { Metadata } from "next";
import { ScopedLink } from "@/components/ui/scoped-link";
import { IncidentList } from "@/components/incidents/incident-list";
import { Term } from "@/components/ui/term";

export const metadata: Metadata = { title: "Incidents" };

/** The start page: what is broken now, most severe first; the topology one click away. */
export default function IncidentsPage() {
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
      <IncidentList />
    </div>
  );
}
