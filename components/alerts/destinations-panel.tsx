"use client";
import { useId, useState } from "react";
import { DESTINATION_KINDS } from "@/lib/domain/alerts/destination-settings";
import type { DestinationKind } from "@/lib/domain/alerts/destination-url";
import {
  useAddDestination,
  useDestinations,
  useRemoveDestination,
  useRevealWebhookSecret,
  type DestinationListing,
} from "@/lib/queries/alerts";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { DataTable } from "../ui/data-table";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { FormError, InlineForm } from "../ui/inline-form";
import { Panel } from "../ui/panel";
import { Skeleton } from "../ui/skeleton";

const KIND_LABELS: Record<DestinationKind, string> = { webhook: "Webhook", slack: "Slack", pagerduty: "PagerDuty" };
const SOURCE_LABELS: Record<DestinationListing["source"], string> = {
  "quick-start": "FANOUT_ALERTS_WEBHOOK",
  "environments-file": "environments file",
  console: "added here",
};
const time = (ms: number) => new Date(ms).toLocaleString();

/**
 * Where the environment's alerts go, for admins: the configured destinations and those added here
 * (secrets never shown: a URL's host only), each with its last delivery failure; an admin adds one,
 * removes one added here after confirming, and may read the key webhooks are signed with.
 */
export function DestinationsPanel() {
  const destinations = useDestinations(true);
  const remove = useRemoveDestination();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<DestinationListing | undefined>();
  return (
    <Panel
      title="Destinations"
      actions={
        adding ? null : (
          <button type="button" className="button" onClick={() => setAdding(true)}>
            Add destination…
          </button>
        )
      }
    >
      {adding ? <DestinationForm onDone={() => setAdding(false)} /> : null}
      {destinations.isPending ? (
        <Skeleton rows={2} label="Loading destinations" />
      ) : destinations.isError ? (
        <ErrorState error={destinations.error} onRetry={() => void destinations.refetch()} />
      ) : destinations.data.destinations.length === 0 ? (
        <EmptyState title="No destination">
          Nobody is told of this environment&apos;s alerts: add a webhook, a Slack incoming webhook or a PagerDuty
          service.
        </EmptyState>
      ) : (
        <DataTable
          label="Alert destinations"
          columns={[
            "Kind",
            "Name",
            "Goes to",
            "Configured in",
            "Last failure",
            { label: "Actions", visuallyHidden: true },
          ]}
        >
          {destinations.data.destinations.map((d) => (
            <tr key={d.id} data-testid={`destination-${d.id}`}>
              <td>{KIND_LABELS[d.kind]}</td>
              <td>{d.name}</td>
              <td>
                <code>{d.where}</code>
              </td>
              <td>
                {SOURCE_LABELS[d.source]}
                {d.createdBy ? ` by ${d.createdBy}` : ""}
              </td>
              <td>
                {d.lastFailure ? (
                  <span className="form-error">
                    {d.lastFailure.error}
                    {d.lastFailure.at !== undefined ? ` (${time(d.lastFailure.at)})` : ""}
                  </span>
                ) : (
                  "none"
                )}
              </td>
              <td>
                {d.source === "console" ? (
                  <button type="button" className="button button-danger-quiet" onClick={() => setRemoving(d)}>
                    Remove<span className="visually-hidden"> the destination {d.name}</span>
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <WebhookSecret />
      <ConfirmDialog
        open={removing !== undefined}
        title="Remove this destination?"
        confirmLabel={remove.isPending ? "Removing…" : "Remove"}
        busy={remove.isPending}
        danger
        onCancel={() => setRemoving(undefined)}
        onConfirm={() => remove.mutate(removing!.id.replace(/^db:/, ""), { onSuccess: () => setRemoving(undefined) })}
      >
        <p>
          {removing ? `${KIND_LABELS[removing.kind]} ${removing.name}` : ""} is told nothing more, and what waits for it
          in the outbox is not sent.
        </p>
        <FormError error={remove.error?.message} />
      </ConfirmDialog>
    </Panel>
  );
}

/** A new destination: its kind decides the fields; PagerDuty's URL is its Events API's unless given. */
function DestinationForm({ onDone }: { onDone(): void }) {
  const add = useAddDestination();
  const headingId = useId();
  const [kind, setKind] = useState<DestinationKind>("slack");
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [secret, setSecret] = useState("");
  const [routingKey, setRoutingKey] = useState("");
  const ready = name.trim() !== "" && (kind === "pagerduty" ? routingKey.trim() !== "" : url.trim() !== "");
  const request = () => ({
    name: name.trim(),
    kind,
    ...(url.trim() !== "" ? { url: url.trim() } : {}),
    ...(kind === "webhook" && secret !== "" ? { secret } : {}),
    ...(kind === "pagerduty" ? { routingKey: routingKey.trim() } : {}),
  });
  return (
    <InlineForm
      headingId={headingId}
      title="Add a destination"
      submitLabel={add.isPending ? "Adding…" : "Add"}
      submitDisabled={!ready || add.isPending}
      onCancel={onDone}
      onSubmit={() => add.mutate(request(), { onSuccess: onDone })}
    >
      <label className="field">
        Kind
        <select value={kind} onChange={(e) => setKind(e.target.value as DestinationKind)}>
          {DESTINATION_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Name (unique in this environment)
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={64}
          placeholder="e.g. on-call"
          required
        />
      </label>
      <label className="field">
        {kind === "pagerduty" ? "Events API URL (optional)" : kind === "slack" ? "Incoming webhook URL" : "URL"}
        <input
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          type="url"
          spellCheck={false}
          placeholder={
            kind === "slack"
              ? "https://hooks.slack.com/services/…"
              : kind === "pagerduty"
                ? "https://events.pagerduty.com/v2/enqueue"
                : "https://alerts.example.com/fanout"
          }
        />
      </label>
      {kind === "webhook" ? (
        <label className="field">
          Signing secret (optional: 32+ characters; else the key below)
          <input value={secret} onChange={(e) => setSecret(e.target.value)} type="password" autoComplete="off" />
        </label>
      ) : null}
      {kind === "pagerduty" ? (
        <label className="field">
          Routing key (the service&apos;s Events API v2 integration key)
          <input
            value={routingKey}
            onChange={(e) => setRoutingKey(e.target.value)}
            type="password"
            autoComplete="off"
          />
        </label>
      ) : null}
      <FormError error={add.error?.message} />
    </InlineForm>
  );
}

/** The key webhooks without their own are signed with, shown on request (audited) with the header's format. */
function WebhookSecret() {
  const reveal = useRevealWebhookSecret();
  return (
    <div className="stack">
      {reveal.data ? (
        <dl className="facts">
          <dt>Webhook signing key{reveal.data.generated ? " (generated, kept in the data dir)" : ""}</dt>
          <dd>
            <code data-testid="webhook-secret">{reveal.data.secret}</code>
          </dd>
          <dt>Header</dt>
          <dd>
            <code>
              {reveal.data.header}: {reveal.data.format}
            </code>
          </dd>
        </dl>
      ) : (
        <div className="row-actions">
          <button type="button" className="button" disabled={reveal.isPending} onClick={() => reveal.mutate()}>
            {reveal.isPending ? "Reading…" : "Show the webhook signing key"}
          </button>
        </div>
      )}
      <FormError error={reveal.error?.message} />
    </div>
  );
}
