import type { MaskingView } from "@/lib/queries/dead-letter-messages";

/** The masking policy in force on the queue, as the server describes it: what is hidden here and why, and who may reveal. */
export function MaskingNote({ masking }: { masking: MaskingView }) {
  return (
    <section className="panel" aria-labelledby="masking-heading">
      <h2 id="masking-heading">What is hidden here, and why</h2>
      {masking.text.map((sentence) => (
        <p key={sentence}>{sentence}</p>
      ))}
      {masking.reveal !== "none" && !masking.mayReveal && hidesSomething(masking) ? (
        <p className="muted">Your role on this queue does not let you reveal; exports are masked.</p>
      ) : null}
    </section>
  );
}

export const hidesSomething = (masking: MaskingView) =>
  masking.maskByDefault || masking.fields.length > 0 || masking.attributes.length > 0;

/** Why a masked value has no Reveal button for this caller, by the policy's reveal role. */
export function notRevealable(masking: MaskingView): string {
  if (masking.reveal === "none") return "(nobody may reveal it here)";
  return masking.reveal === "admin" ? "(only an admin on this queue can reveal it)" : "(an operator can reveal it)";
}
