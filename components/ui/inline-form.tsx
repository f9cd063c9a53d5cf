import type { ReactNode } from "react";

/**
 * A form that opens in place, inside the page (not a modal dialog), named by its heading, ending in
 * its submit button and Cancel. Submitting never reloads the page: `onSubmit` reads its caller's state.
 */
export function InlineForm({
  headingId,
  title,
  submitLabel,
  submitDisabled,
  onSubmit,
  onCancel,
  children,
}: {
  headingId: string;
  title: string;
  submitLabel: string;
  submitDisabled: boolean;
  onSubmit(): void;
  onCancel(): void;
  children: ReactNode;
}) {
  return (
    <form
      className="confirm"
      aria-labelledby={headingId}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <h3 id={headingId}>{title}</h3>
      {children}
      <div className="row-actions">
        <button type="submit" className="button button-primary" disabled={submitDisabled}>
          {submitLabel}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Why a form was not sent, announced as it appears. */
export function FormError({ error }: { error: string | undefined }) {
  return error ? (
    <p className="form-error" role="alert">
      {error}
    </p>
  ) : null;
}
