import { ScopedLink } from "@/components/ui/scoped-link";
import { VIEWER_LEASE_LIMITS } from "@/lib/domain/dead-letter-lease";
import type { LeaseView } from "@/lib/queries/dead-letter-messages";
import { ApiError } from "@/lib/queries/fetch-json";
import { ErrorState } from "../ui/error-state";

/** Why the lease could not be taken: a source queue asks for a confirmation first, anything else is an error. */
export function LeaseRefused({
  error,
  onConfirmSourceRead,
  onRetry,
}: {
  error: Error;
  onConfirmSourceRead: () => void;
  onRetry: () => void;
}) {
  if (error instanceof ApiError && error.code === "confirmation_required")
    return (
      <div className="confirm" role="alertdialog" aria-labelledby="source-read-heading">
        <h3 id="source-read-heading">Read a source queue?</h3>
        <p>{error.message}</p>
        <div className="row-actions">
          <button type="button" className="button button-primary" onClick={onConfirmSourceRead}>
            Read it anyway
          </button>
          <ScopedLink className="button" href="/dead-letters">
            Back to dead letters
          </ScopedLink>
        </div>
      </div>
    );
  return (
    <ErrorState code={error instanceof ApiError ? error.code : undefined} message={error.message} onRetry={onRetry} />
  );
}

/** How many letters are leased and until when, how many to load, and reload or release them. */
export function LeasePanel({
  lease,
  leased,
  canOperate,
  max,
  sizes,
  onMax,
  onReload,
  onRelease,
  releasing,
}: {
  lease: LeaseView;
  /** Letters still leased to the reader: the loaded ones not yet released, replayed or deleted. */
  leased: number;
  canOperate: boolean;
  max: number;
  sizes: number[];
  onMax: (max: number) => void;
  onReload: () => void;
  onRelease: () => void;
  releasing: boolean;
}) {
  const count = leased;
  return (
    <section className="panel" aria-label="Lease">
      <p className="lease-line" role="status">
        {lease.messages.length === 0 ? (
          "Nothing is leased to you: no letter was visible when this view loaded. Reload to look again."
        ) : count === 0 ? (
          "Nothing is leased to you now: the letters you loaded were released, replayed, deleted or taken over. Reload to lease what is there."
        ) : (
          <>
            {count} message{count === 1 ? "" : "s"} leased to you until {new Date(lease.expiresAt).toLocaleTimeString()}{" "}
            (renewed while this view is open
            {canOperate ? "" : `, up to ${VIEWER_LEASE_LIMITS.secondsPerHour / 60} minutes an hour`}): other readers do
            not see them meanwhile.{lease.limited ? ` The queue may hold more than the ${max} loaded.` : ""}
          </>
        )}
      </p>
      {lease.notes.map((note) => (
        <p key={note} className="muted">
          {note}
        </p>
      ))}
      <div className="row-actions">
        <label className="field-row">
          Load up to
          <select value={max} onChange={(e) => onMax(Number(e.target.value))}>
            {sizes.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button" onClick={onReload}>
          Reload
        </button>
        <button type="button" className="button" disabled={releasing} onClick={onRelease}>
          Release now
        </button>
      </div>
    </section>
  );
}
