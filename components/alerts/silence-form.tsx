"use client";
import { useId, useState } from "react";
import { RULE_LABELS } from "@/lib/domain/alerts/alerts-view";
import { ALERT_RULES, type AlertRuleId } from "@/lib/domain/alerts/rules";
import { MAX_SILENCE_MINUTES } from "@/lib/domain/alerts/silences";
import { useCreateSilence } from "@/lib/queries/alerts";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { FormError, InlineForm } from "../ui/inline-form";

const DURATIONS = [
  { minutes: 30, label: "30 minutes" },
  { minutes: 60, label: "1 hour" },
  { minutes: 4 * 60, label: "4 hours" },
  { minutes: 24 * 60, label: "1 day" },
  { minutes: 7 * 24 * 60, label: "7 days" },
] as const;

/**
 * Silences a rule, an ARN pattern or both: a reason and a duration are required, and the silence is
 * confirmed before it is made. One idempotency key per form, so a retried request makes one silence.
 */
export function SilenceForm({
  initial,
  onDone,
}: {
  initial: { rule?: AlertRuleId; resource?: string };
  onDone(): void;
}) {
  const create = useCreateSilence();
  const headingId = useId();
  const [clientKey] = useState(() => crypto.randomUUID());
  const [rule, setRule] = useState<AlertRuleId | "">(initial.rule ?? "");
  const [resource, setResource] = useState(initial.resource ?? "");
  const [minutes, setMinutes] = useState<number>(60);
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  const pattern = resource.trim();
  const named = rule !== "" || pattern !== "";
  const duration = DURATIONS.find((d) => d.minutes === minutes)?.label ?? `${minutes} minutes`;
  return (
    <>
      <InlineForm
        headingId={headingId}
        title="Silence alerts"
        submitLabel="Silence…"
        submitDisabled={!named || reason.trim() === "" || create.isPending}
        onCancel={onDone}
        onSubmit={() => setConfirming(true)}
      >
        <label className="field">
          Rule
          <select value={rule} onChange={(e) => setRule(e.target.value as AlertRuleId | "")}>
            <option value="">Every rule (then name a resource pattern)</option>
            {ALERT_RULES.map((r) => (
              <option key={r} value={r}>
                {RULE_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Resources (optional: an ARN or an ARN pattern, `*` for any run of characters)
          <input
            value={resource}
            onChange={(e) => setResource(e.target.value)}
            placeholder="e.g. arn:aws:sqs:*:*:payments-*"
            spellCheck={false}
          />
        </label>
        <label className="field">
          For
          <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
            {DURATIONS.filter((d) => d.minutes <= MAX_SILENCE_MINUTES).map((d) => (
              <option key={d.minutes} value={d.minutes}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Reason (required: for whoever is on call next)
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={500}
            required
            placeholder="e.g. replaying after the fix to the payments consumer"
          />
        </label>
        <FormError error={create.error?.message} />
      </InlineForm>
      <ConfirmDialog
        open={confirming}
        title="Silence these alerts?"
        confirmLabel={create.isPending ? "Silencing…" : "Silence"}
        busy={create.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          create.mutate(
            {
              ...(rule !== "" ? { rule } : {}),
              ...(pattern !== "" ? { resource: pattern } : {}),
              minutes,
              reason: reason.trim(),
              clientKey,
            },
            {
              onSuccess: () => {
                setConfirming(false);
                onDone();
              },
              onError: () => setConfirming(false),
            },
          )
        }
      >
        <p>
          {rule !== "" ? RULE_LABELS[rule] : "Every rule"} on{" "}
          {pattern !== "" ? <code>{pattern}</code> : "every resource"} is not notified for {duration}. The alerts still
          show here, and anything new is told when the silence ends.
        </p>
      </ConfirmDialog>
    </>
  );
}
