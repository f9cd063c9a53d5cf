"use client";
import { useId, useState } from "react";
import { TOKEN_EXPIRY_DAYS } from "@/lib/domain/api-tokens";
import { roleAtLeast, roles, type Role } from "@/lib/domain/roles";
import { useApiTokens, useCreateApiToken, useRevokeApiToken, type TokenView } from "@/lib/queries/tokens";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { DataTable } from "../ui/data-table";
import { EmptyState } from "../ui/empty-state";
import { FormError, InlineForm } from "../ui/inline-form";
import { QueryState } from "../ui/query-state";

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "never");

/** A new token's secret, shown once: copied, or lost. */
function NewToken({ token, onDone }: { token: TokenView & { token: string }; onDone(): void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="confirm" role="status" aria-live="polite">
      <h3>Token “{token.name}” made</h3>
      <p>
        Copy it now: it is shown this once, and the console keeps only a digest of it. Send it as{" "}
        <code>Authorization: Bearer …</code>.
      </p>
      <pre className="code" data-testid="new-token">
        {token.token}
      </pre>
      <div className="row-actions">
        <button
          type="button"
          className="button"
          onClick={() =>
            void navigator.clipboard?.writeText(token.token).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? "Copied" : "Copy"}
        </button>
        <button type="button" className="button button-primary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

function CreateTokenForm({
  role,
  admin,
  onMade,
  onCancel,
}: {
  role: Role;
  admin: boolean;
  onMade(token: TokenView & { token: string }): void;
  onCancel(): void;
}) {
  const create = useCreateApiToken();
  const headingId = useId();
  const [name, setName] = useState("");
  const [days, setDays] = useState<number>(TOKEN_EXPIRY_DAYS.default);
  const [cap, setCap] = useState<Role>(role);
  const [service, setService] = useState("");
  const [patterns, setPatterns] = useState("");
  const only = patterns
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  return (
    <InlineForm
      headingId={headingId}
      title="New API token"
      submitLabel={create.isPending ? "Making…" : "Make token"}
      submitDisabled={create.isPending || name.trim() === ""}
      onCancel={onCancel}
      onSubmit={() =>
        create.mutate(
          {
            name: name.trim(),
            expiresInDays: days,
            ...(cap !== role ? { role: cap } : {}),
            // On some resources only: one binding, still within the creator's on every resource.
            ...(only.length > 0 ? { bindings: [{ role: cap, environments: ["*"], resources: only }] } : {}),
            ...(admin && service.trim() ? { service: service.trim() } : {}),
          },
          { onSuccess: onMade },
        )
      }
    >
      <label className="field">
        Name
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={100}
          placeholder="e.g. nightly redrive"
        />
      </label>
      <label className="field">
        Expires after (days, {TOKEN_EXPIRY_DAYS.min}–{TOKEN_EXPIRY_DAYS.max})
        <input
          type="number"
          min={TOKEN_EXPIRY_DAYS.min}
          max={TOKEN_EXPIRY_DAYS.max}
          value={days}
          onChange={(e) => setDays(Number(e.target.value))}
        />
      </label>
      <label className="field">
        At most the role
        <select value={cap} onChange={(e) => setCap(e.target.value as Role)}>
          {roles
            .filter((r) => roleAtLeast(role, r))
            .map((r) => (
              <option key={r} value={r}>
                {r}
                {r === role ? " (yours)" : ""}
              </option>
            ))}
        </select>
      </label>
      <label className="field">
        Only on resources (optional: ARN patterns, `*` for any run of characters, separated by spaces or commas)
        <input
          value={patterns}
          onChange={(e) => setPatterns(e.target.value)}
          placeholder="e.g. arn:aws:sqs:*:*:payments-*"
          spellCheck={false}
        />
      </label>
      {admin ? (
        <label className="field">
          Service name (optional: a service token acts as itself, not as you)
          <input value={service} onChange={(e) => setService(e.target.value)} placeholder="e.g. ci-redrive" />
        </label>
      ) : null}
      <FormError error={create.error?.message} />
    </InlineForm>
  );
}

export function ApiTokens({ user, highestRole: role, admin }: { user: string; highestRole: Role; admin: boolean }) {
  const tokens = useApiTokens();
  const revoke = useRevokeApiToken();
  const [creating, setCreating] = useState(false);
  const [made, setMade] = useState<(TokenView & { token: string }) | undefined>();
  const [revoking, setRevoking] = useState<TokenView | undefined>();
  return (
    <>
      {made ? (
        <NewToken token={made} onDone={() => setMade(undefined)} />
      ) : creating ? (
        <CreateTokenForm
          role={role}
          admin={admin}
          onCancel={() => setCreating(false)}
          onMade={(token) => {
            setCreating(false);
            setMade(token);
          }}
        />
      ) : (
        <div className="row-actions">
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            New token
          </button>
        </div>
      )}
      <div className="tokens-list">
        <QueryState
          query={tokens}
          loadingLabel="Loading API tokens"
          empty={
            <EmptyState title="No API tokens yet">
              Make one for a script, a CI job or the command line: it acts as you, never with more than your role.
            </EmptyState>
          }
        >
          {(list) => (
            <DataTable
              label="API tokens"
              columns={[
                "Name",
                "Owner",
                "Bindings",
                "State",
                "Expires",
                "Last used",
                { label: "Actions", visuallyHidden: true },
              ]}
            >
              {list.map((t) => (
                <tr key={t.id} data-testid={`token-${t.id}`}>
                  <td>
                    {t.name}
                    <div className="muted">
                      <code>{t.id}</code>
                      {t.createdBy !== t.owner ? ` · made by ${t.createdBy}` : ""}
                    </div>
                  </td>
                  <td>{t.owner === user ? "you" : t.owner}</td>
                  <td>
                    {t.role}
                    {t.bindings.map((binding) => (
                      <div key={binding} className="muted">
                        {binding}
                      </div>
                    ))}
                  </td>
                  <td>{t.state === "revoked" ? `revoked by ${t.revokedBy ?? "?"}` : t.state}</td>
                  <td>{when(t.expiresAt)}</td>
                  <td>
                    {when(t.lastUsedAt)}
                    {t.lastUsedAddress ? <div className="muted">from {t.lastUsedAddress}</div> : null}
                  </td>
                  <td>
                    {t.state === "active" ? (
                      <button type="button" className="button button-danger-quiet" onClick={() => setRevoking(t)}>
                        Revoke<span className="visually-hidden"> {t.name}</span>
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </QueryState>
      </div>
      <ConfirmDialog
        open={revoking !== undefined}
        title={`Revoke “${revoking?.name ?? ""}”?`}
        confirmLabel={revoke.isPending ? "Revoking…" : "Revoke"}
        danger
        busy={revoke.isPending}
        onCancel={() => setRevoking(undefined)}
        onConfirm={() => revoke.mutate(revoking!.id, { onSuccess: () => setRevoking(undefined) })}
      >
        <p>
          Every request with this token is refused from now on, on every replica. Whatever uses it (a CI job, a script)
          stops working until it gets a new token.
        </p>
        <FormError error={revoke.error?.message} />
      </ConfirmDialog>
    </>
  );
}
