/**
 * One-sentence definitions of the words the console uses that an engineer new to SRE or to SQS may
 * not know, shown by the `Term` help where the words appear. Plain text, no markup.
 */

export type GlossaryTerm = "sli" | "burn-rate" | "error-budget" | "lease" | "finding";

export const GLOSSARY: Record<GlossaryTerm, { label: string; definition: string }> = {
  sli: {
    label: "SLI",
    definition:
      "Service level indicator: the share of events that went well over a window, for example messages " +
      "processed out of those processed or dead-lettered; the objective is the share it should not fall below.",
  },
  "burn-rate": {
    label: "burn rate",
    definition:
      "How fast failures spend the error budget: at 1× the 30-day budget lasts exactly 30 days, at 14.4× " +
      "2 % of it is gone in an hour, which is when the console pages.",
  },
  "error-budget": {
    label: "error budget",
    definition:
      "The failures the objective allows over 30 days (with 99.9 %, one event in a thousand); the share left " +
      "says how many more may fail before the objective is missed.",
  },
  lease: {
    label: "lease",
    definition:
      "SQS cannot show a message without receiving it, so the console receives the messages you read and " +
      "keeps them hidden from consumers for 5 minutes at a time, giving them back when you leave.",
  },
  finding: {
    label: "finding",
    definition:
      "A configuration problem the console found by reading the account, such as a queue nothing consumes " +
      "or a dead-letter queue no alarm watches; AWS itself reports none of these.",
  },
};
