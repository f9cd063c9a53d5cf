import { explainGroup } from "./explain";
import { policyHolds } from "./match";
import { attributeValues, bodyValues, parseBody, unparsableBodyNote, type MessageValues } from "./message";
import type { CompiledPolicy, Evaluation, ExplanationNode, FilterMessage } from "./types";

/**
 * Tests a compiled policy against one message: whether SNS delivers it to the subscription, and why.
 * The explanation is built only when read, so a caller that wants the verdict alone pays for the verdict.
 */
export function evaluateFilterPolicy(policy: CompiledPolicy, message: FilterMessage): Evaluation {
  const root = policy.root;
  // An empty policy ({} or empty text) filters nothing.
  if (root.leaves.length === 0 && root.ors.length === 0) {
    return { match: true, explanation: { kind: "and", matched: true, children: [] } };
  }
  let values: MessageValues;
  if (policy.scope === "MessageAttributes") {
    values = attributeValues("attributes" in message ? message.attributes : {});
  } else {
    // "Message body filtering": only a body that is a JSON object can match.
    const text = "body" in message ? message.body : undefined;
    const body = parseBody(text);
    if (!body) {
      let unparsable: ExplanationNode | undefined;
      return {
        match: false,
        get explanation() {
          unparsable ??= { kind: "unparsable-body", matched: false, note: unparsableBodyNote(text) };
          return unparsable;
        },
      };
    }
    values = bodyValues(body, policy);
  }
  const match = policyHolds(root, values);
  let explanation: ExplanationNode | undefined;
  return {
    match,
    get explanation() {
      explanation ??= explainGroup(root, values);
      return explanation;
    },
  };
}
