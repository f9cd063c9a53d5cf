"use client";
import { useId, useState } from "react";
import { GLOSSARY, type GlossaryTerm } from "@/lib/domain/glossary";
import { useEscapeToClose } from "./use-escape-to-close";

/**
 * A word of the console's vocabulary with its one-sentence definition a click or a key press away:
 * a "?" button after the word shows the definition in place (Escape or the button again hides it).
 * Phrasing content only, so it fits beside a heading or a label.
 */
export function Term({ term, children }: { term: GlossaryTerm; children?: string }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const { label, definition } = GLOSSARY[term];
  const dismiss = useEscapeToClose(open && id, () => setOpen(false));
  return (
    <span className="term">
      {children ?? label}
      <button
        type="button"
        className="term-help"
        aria-expanded={open}
        aria-controls={id}
        aria-label={`What is ${label}?`}
        title={`What is ${label}?`}
        onClick={() => (open ? dismiss() : setOpen(true))}
      >
        ?
      </button>
      <span id={id} role="note" className="term-definition" hidden={!open}>
        {definition}
      </span>
    </span>
  );
}
