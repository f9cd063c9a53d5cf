"use client";
import type { Evaluation, ExplanationNode } from "@/lib/domain/filter-policy/types";

/** Why a message matched or not, key by key: what each key saw and which condition held. Message content is rendered as text. */
export function ExplanationView({ evaluation, verdict = true }: { evaluation: Evaluation; verdict?: boolean }) {
  return (
    <div className="explanation">
      {verdict ? (
        <p className={evaluation.match ? "verdict verdict-match" : "verdict verdict-no-match"} role="status">
          {evaluation.match
            ? "✓ Match: the subscription receives this message"
            : "✗ No match: the subscription does not receive this message"}
        </p>
      ) : null}
      <ExplanationTree node={evaluation.explanation} />
    </div>
  );
}

function ExplanationTree({ node }: { node: ExplanationNode }) {
  switch (node.kind) {
    case "and":
    case "or":
      return (
        <div className={`explain-group explain-${node.kind}`}>
          {node.kind === "or" ? <p className="explain-group-label">{node.matched ? "✓" : "✗"} any of ($or)</p> : null}
          <ul>
            {node.children.map((child, i) => (
              <li key={i}>
                <ExplanationTree node={child} />
              </li>
            ))}
          </ul>
        </div>
      );
    case "unparsable-body":
      return <p className="explain-key explain-failed">✗ {node.note}</p>;
    case "key":
      return (
        <div className={node.matched ? "explain-key explain-held" : "explain-key explain-failed"}>
          <span className="explain-mark" aria-hidden="true">
            {node.matched ? "✓" : "✗"}
          </span>
          <span className="visually-hidden">{node.matched ? "held" : "failed"}: </span>
          <code>{node.path}</code>
          <span className="muted"> saw </span>
          <code>{node.seen.length ? node.seen.join(", ") : "(absent)"}</code>
          <ul className="explain-conditions">
            {node.conditions.map((c, i) => (
              <li key={i} className={c.held ? "condition-held" : "condition-failed"}>
                {c.held ? "held" : "failed"}: <code>{c.condition}</code>
              </li>
            ))}
          </ul>
          {node.note ? <p className="muted">{node.note}</p> : null}
        </div>
      );
  }
}
