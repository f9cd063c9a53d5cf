import type { ReactNode } from "react";

/** A labelled box for text that is code or data (JSON, a message body): monospace, never spell-checked. */
export function TextAreaField({
  label,
  value,
  onChange,
  rows,
  className = "text-area mono",
  invalid,
  children,
}: {
  label: ReactNode;
  value: string;
  onChange(value: string): void;
  rows: number;
  className?: string;
  invalid?: boolean;
  /** Shown under the box, inside its label: what is wrong with the text, say. */
  children?: ReactNode;
}) {
  return (
    <label className="field">
      {label}
      <textarea
        className={className}
        rows={rows}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
        aria-invalid={invalid}
      />
      {children}
    </label>
  );
}
