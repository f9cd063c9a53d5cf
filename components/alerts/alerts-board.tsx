"use client";
import { useState } from "react";
import type { AlertRuleId } from "@/lib/domain/alerts/rules";
import { useAlerts } from "@/lib/queries/alerts";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { Panel } from "../ui/panel";
import { Skeleton } from "../ui/skeleton";
import { AlertList } from "./alert-list";
import { SilenceForm } from "./silence-form";
import { SilenceList } from "./silence-list";

/**
 * The alerts of the page's environment and region: firing, resolved within a day, and the silences
 * that hold. Operators silence an alert (or a rule, or a pattern) and end silences.
 */
export function AlertsBoard({ canSilence }: { canSilence: boolean }) {
  const alerts = useAlerts();
  const [silencing, setSilencing] = useState<{ rule?: AlertRuleId; resource?: string } | undefined>();
  if (alerts.isPending) return <Skeleton rows={4} label="Loading alerts" />;
  if (alerts.isError) return <ErrorState error={alerts.error} onRetry={() => void alerts.refetch()} />;
  const { firing, recent, silences } = alerts.data;
  const silence = canSilence
    ? (alert: { rule: AlertRuleId; resource: string }) => setSilencing({ rule: alert.rule, resource: alert.resource })
    : undefined;
  return (
    <>
      {canSilence ? (
        silencing ? (
          <SilenceForm
            key={`${silencing.rule ?? ""} ${silencing.resource ?? ""}`}
            initial={silencing}
            onDone={() => setSilencing(undefined)}
          />
        ) : (
          <div className="row-actions">
            <button type="button" className="button" onClick={() => setSilencing({})}>
              New silence…
            </button>
          </div>
        )
      ) : null}
      <Panel title="Firing">
        {firing.length === 0 ? (
          <EmptyState title="Nothing is firing">
            No dead letters arriving or about to expire, no error budget burning, no consumer paused, no redrive job
            failed or stuck.
          </EmptyState>
        ) : (
          <AlertList alerts={firing} label="Firing alerts" onSilence={silence} />
        )}
      </Panel>
      <Panel title="Resolved in the last day">
        {recent.length === 0 ? (
          <EmptyState title="Nothing resolved in the last day" />
        ) : (
          <AlertList alerts={recent} label="Recently resolved alerts" />
        )}
      </Panel>
      <Panel title="Silenced">
        {silences.length === 0 ? (
          <EmptyState title="No silences">Every alert is notified.</EmptyState>
        ) : (
          <SilenceList silences={silences} canEnd={canSilence} />
        )}
      </Panel>
    </>
  );
}
