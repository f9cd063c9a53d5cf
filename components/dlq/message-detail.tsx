"use client";
import { ScopedLink } from "@/components/ui/scoped-link";
import { ReplayWarningNote } from "./replay-warning-note";
import { useState } from "react";
import type { DeadLetterMessage, SqsAttributeValue } from "@/lib/domain/dead-letter-message";
import { formatDuration } from "@/lib/domain/dead-letters";
import { messageTraceHref } from "@/lib/domain/traces/header";
import { useReveal, type MaskingView } from "@/lib/queries/dead-letter-messages";
import { notRevealable } from "./masking-note";
import { JsonText, JsonTree } from "./json-tree";
import { DataTable } from "@/components/ui/data-table";
import { FormError, InlineForm } from "@/components/ui/inline-form";
import { TextAreaField } from "@/components/ui/text-area-field";

export interface ReplayEditsInput {
  body: string;
  attributes: Record<string, SqsAttributeValue>;
}

interface MessageDetailProps {
  queue: string;
  message: DeadLetterMessage;
  /** The masking policy in force on the queue, and whether this reader may reveal under it. */
  masking: MaskingView;
  canOperate: boolean;
  now: number;
  busy: boolean;
  onReplay(): void;
  onEditReplay(edits: ReplayEditsInput): void;
  /** Undefined when the queue is not a dead-letter queue: deleting is for dead letters only. */
  onDelete?: () => void;
  onExport(): void;
  /** The export as SQS holds it, audited as a reveal: offered where the policy lets the reader reveal. */
  onExportRevealed(): void;
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function AttributesTable({
  attributes,
  caption,
}: {
  attributes: Record<string, { type: string; value: string }>;
  caption: string;
}) {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return <p className="muted">{caption}: none.</p>;
  return (
    <DataTable label={caption} caption={caption} columns={["Name", "Type", "Value"]}>
      {names.map((name) => (
        <tr key={name}>
          <td className="mono">{name}</td>
          <td>{attributes[name]!.type}</td>
          <td className="mono">{attributes[name]!.value}</td>
        </tr>
      ))}
    </DataTable>
  );
}

const sqsAttributesForTable = (attributes: Record<string, SqsAttributeValue>) =>
  Object.fromEntries(
    Object.entries(attributes).map(([k, v]) => [
      k,
      { type: v.dataType, value: v.stringValue ?? `base64: ${v.binaryValue ?? ""}` },
    ]),
  );

/** Masked fields, each revealable by whom the queue's masking policy lets; the reveal is audited by path and hash. */
function MaskedFields({
  queue,
  message,
  masking,
}: {
  queue: string;
  message: DeadLetterMessage;
  masking: MaskingView;
}) {
  const reveal = useReveal(queue);
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  if (message.masked.length === 0) return null;
  return (
    <div className="state state-warn" role="note">
      <p className="state-title">Masked by the server</p>
      <ul>
        {message.masked.map((path) => (
          <li key={path}>
            <span className="mono">{path}</span>{" "}
            {revealed[path] !== undefined ? (
              <span className="mono revealed">= {revealed[path]}</span>
            ) : masking.mayReveal ? (
              <button
                type="button"
                className="link-button"
                disabled={reveal.isPending}
                onClick={() =>
                  reveal.mutate(
                    { messageId: message.messageId, path },
                    { onSuccess: (r) => setRevealed((prev) => ({ ...prev, [r.path]: r.value })) },
                  )
                }
              >
                Reveal (audited)
              </button>
            ) : (
              <span className="muted">{notRevealable(masking)}</span>
            )}
          </li>
        ))}
      </ul>
      {reveal.isError ? <p className="form-error">{reveal.error.message}</p> : null}
    </div>
  );
}

function EditAndReplay({
  message,
  busy,
  onSubmit,
  onClose,
}: {
  message: DeadLetterMessage;
  busy: boolean;
  onSubmit(edits: ReplayEditsInput): void;
  onClose(): void;
}) {
  const [body, setBody] = useState(message.body);
  const [attributesText, setAttributesText] = useState(JSON.stringify(message.attributes, null, 2));
  const [error, setError] = useState<string>();
  const submit = () => {
    let attributes: Record<string, SqsAttributeValue>;
    try {
      attributes = JSON.parse(attributesText) as Record<string, SqsAttributeValue>;
      if (!attributes || typeof attributes !== "object" || Array.isArray(attributes))
        throw new Error("attributes must be a JSON object");
    } catch (err) {
      setError(`attributes: ${err instanceof Error ? err.message : "not JSON"}`);
      return;
    }
    setError(undefined);
    onSubmit({ body, attributes });
  };
  return (
    <InlineForm
      headingId="edit-replay-heading"
      title="Edit, then replay"
      submitLabel="Replay the edited message"
      submitDisabled={busy}
      onSubmit={submit}
      onCancel={onClose}
    >
      <TextAreaField label="Body" rows={8} value={body} onChange={setBody} />
      <TextAreaField
        label="Message attributes (JSON: name → { dataType, stringValue | binaryValue })"
        rows={6}
        value={attributesText}
        onChange={setAttributesText}
      />
      <FormError error={error} />
      <p className="muted">
        The edited copy goes to the queue chosen under &ldquo;Replay to&rdquo; (this queue&apos;s own source by
        default); the dead letter is deleted once SQS confirms the copy. Body and attributes together must fit the
        target queue&apos;s maximum message size (SQS allows up to 1 MiB). The audit records what was sent, masked.
      </p>
    </InlineForm>
  );
}

/** One dead letter in full: payload, attributes, system attributes, and what can be done with it. */
export function MessageDetail({
  queue,
  message,
  masking,
  canOperate,
  now,
  busy,
  onReplay,
  onEditReplay,
  onDelete,
  onExport,
  onExportRevealed,
}: MessageDetailProps) {
  const [editing, setEditing] = useState(false);
  const s = message.system;
  const traceLink = messageTraceHref(queue, message.messageId, s.traceHeader);
  const payloadJson = message.sns ? message.sns.messageJson : message.bodyJson;
  const payloadText = message.sns ? message.sns.message : message.body;
  // An edited copy of a masked or withheld payload would carry the mask or the placeholder instead of the value.
  const hasMaskedPayload = message.masked.length > 0 || message.withheld !== undefined;
  return (
    <section className="panel" aria-labelledby="message-heading">
      <div className="panel-header">
        <h2 id="message-heading">
          Message <span className="mono">{message.messageId}</span>
        </h2>
      </div>
      <div className="row-actions">
        {canOperate ? (
          <>
            <button type="button" className="button button-primary" onClick={onReplay} disabled={busy}>
              Replay
            </button>
            <button
              type="button"
              className="button"
              onClick={() => setEditing(true)}
              disabled={busy || hasMaskedPayload}
              title={
                hasMaskedPayload
                  ? "This message has masked fields: an edited copy would carry the mask instead " +
                    "of the value, so the server refuses it. Replay it unedited or export it."
                  : undefined
              }
            >
              Edit and replay…
            </button>
            {onDelete ? (
              <button type="button" className="button button-danger-quiet" onClick={onDelete} disabled={busy}>
                Delete…
              </button>
            ) : null}
          </>
        ) : (
          <span className="muted">Replaying and deleting need the operator role.</span>
        )}
        {traceLink ? (
          <ScopedLink className="button" href={traceLink}>
            View trace
          </ScopedLink>
        ) : null}
        <button type="button" className="button" onClick={onExport}>
          Export as JSON Lines
        </button>
        {hasMaskedPayload && masking.mayReveal ? (
          <button type="button" className="button" onClick={onExportRevealed}>
            Export revealed (audited)
          </button>
        ) : null}
      </div>
      {canOperate && s.traceHeader ? <ReplayWarningNote queue={queue} messageIds={[message.messageId]} /> : null}
      {canOperate && hasMaskedPayload ? (
        <p className="muted" role="note">
          Masked fields: this message can be replayed only unedited (it is sent exactly as SQS holds it, masked values
          included). The server refuses an edited replay, which would carry the mask instead of the values.
        </p>
      ) : null}
      {editing ? (
        <EditAndReplay
          message={message}
          busy={busy}
          onClose={() => setEditing(false)}
          onSubmit={(edits) => {
            onEditReplay(edits);
            setEditing(false);
          }}
        />
      ) : null}
      <dl className="facts">
        <Fact label="Sent">{s.sentAt ? new Date(s.sentAt).toLocaleString() : "—"}</Fact>
        <Fact label="Receives">{s.receiveCount ?? "—"}</Fact>
        <Fact label="First received">{s.firstReceivedAt ? new Date(s.firstReceivedAt).toLocaleString() : "—"}</Fact>
        <Fact label="Expires in">
          {message.expiresAt ? (
            formatDuration((Date.parse(message.expiresAt) - now) / 1000)
          ) : (
            <span
              className="muted"
              title="SQS resets a FIFO message's enqueue time when it dead-letters it, and does not say when."
            >
              unknown on a FIFO queue
            </span>
          )}
        </Fact>
        {s.groupId ? <Fact label="Message group">{s.groupId}</Fact> : null}
        {s.deduplicationId ? <Fact label="Deduplication id">{s.deduplicationId}</Fact> : null}
        {s.sequenceNumber ? <Fact label="Sequence number">{s.sequenceNumber}</Fact> : null}
        <Fact label="Dead-lettered from">
          {s.sourceArn ? (
            <span className="mono">{s.sourceArn}</span>
          ) : (
            <span className="muted">not recorded by the endpoint</span>
          )}
        </Fact>
        <Fact label="Trace">
          {s.traceHeader ? (
            <>
              <span className="mono">{s.traceHeader}</span>
              {traceLink ? null : <span className="muted"> (not a readable trace header)</span>}
            </>
          ) : (
            <span className="muted">no AWSTraceHeader</span>
          )}
        </Fact>
      </dl>
      <MaskedFields queue={queue} message={message} masking={masking} />
      {message.sns ? (
        <>
          <h3>SNS notification</h3>
          <dl className="facts">
            <Fact label="Topic">
              {message.sns.topicArn ? <span className="mono">{message.sns.topicArn}</span> : "—"}
            </Fact>
            <Fact label="SNS message id">{message.sns.messageId ?? "—"}</Fact>
            {message.sns.subject ? <Fact label="Subject">{message.sns.subject}</Fact> : null}
            <Fact label="Published">{message.sns.timestamp ?? "—"}</Fact>
          </dl>
          <AttributesTable attributes={message.sns.attributes} caption="SNS message attributes" />
        </>
      ) : null}
      <h3>{message.sns ? "Message (from the envelope)" : "Body"}</h3>
      {message.withheld ? (
        <p className="state state-warn" role="note">
          Withheld by the server: this {message.withheld.bytes}-byte{" "}
          {message.withheld.part === "body" ? "body" : "SNS Message"} is {message.withheld.reason}, so the configured
          masking rules cannot be applied to it.
        </p>
      ) : null}
      {payloadJson !== undefined ? <JsonTree value={payloadJson} /> : <JsonText text={payloadText} />}
      <AttributesTable attributes={sqsAttributesForTable(message.attributes)} caption="SQS message attributes" />
    </section>
  );
}
