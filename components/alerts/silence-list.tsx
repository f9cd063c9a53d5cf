"use client";
import { useState } from "react";
import { RULE_LABELS } from "@/lib/domain/alerts/alerts-view";
import { useEndSilence, type Silence } from "@/lib/queries/alerts";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { DataTable } from "../ui/data-table";
import { FormError } from "../ui/inline-form";

const time = (ms: number) => new Date(ms).toLocaleString();

/** The silences that hold, with who made them and why (text as typed); operators may end one early. */
export function SilenceList({ silences, canEnd }: { silences: Silence[]; canEnd: boolean }) {
  const end = useEndSilence();
  const [ending, setEnding] = useState<Silence | undefined>();
  return (
    <>
      <DataTable
        label="Silences"
        columns={[
          "Rule",
          "Resources",
          "Reason",
          "By",
          "Until",
          ...(canEnd ? [{ label: "Actions", visuallyHidden: true }] : []),
        ]}
      >
        {silences.map((s) => (
          <tr key={s.id} data-testid={`silence-${s.id}`}>
            <td>{s.rule ? RULE_LABELS[s.rule] : "every rule"}</td>
            <td>{s.resource ? <code>{s.resource}</code> : "every resource"}</td>
            <td>{s.reason}</td>
            <td>{s.createdBy}</td>
            <td>{time(s.expiresAt)}</td>
            {canEnd ? (
              <td>
                <button type="button" className="button button-danger-quiet" onClick={() => setEnding(s)}>
                  End<span className="visually-hidden"> the silence: {s.reason}</span>
                </button>
              </td>
            ) : null}
          </tr>
        ))}
      </DataTable>
      <ConfirmDialog
        open={ending !== undefined}
        title="End this silence?"
        confirmLabel={end.isPending ? "Ending…" : "End silence"}
        busy={end.isPending}
        onCancel={() => setEnding(undefined)}
        onConfirm={() => end.mutate(ending!.id, { onSuccess: () => setEnding(undefined) })}
      >
        <p>The alerts it holds are notified again from the next evaluation, with anything new since it began.</p>
        <FormError error={end.error?.message} />
      </ConfirmDialog>
    </>
  );
}
