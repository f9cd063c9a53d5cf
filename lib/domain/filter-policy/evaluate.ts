import { explainGroup } from "./explain";
import { policyHolds } from "./match";
import {
  attributeValues,
  bodyValues,
  parseBody,
  PreparedMessage,
  unparsableBodyNote,
  type MessageValues,
} from "./message";
import type { CompiledPolicy, Evaluation, ExplanationNode, FilterMessage, MessageAttribute, Verdict } from "./types";

const noAttributes: Record<string, MessageAttribute> = {};
const delivered: Verdict = Object.freeze({ match: true });
const filteredOut: Verdict = Object.freeze({ match: false });

// A FilterMessage and a PreparedMessage both keep their parts under these names.
type Parts = { attributes?: Record<string, MessageAttribute>; body?: string };

function attributesOf(message: FilterMessage | PreparedMessage): Record<string, MessageAttribute> {
  return (message as Parts).attributes ?? noAttributes;
}

function bodyTextOf(message: FilterMessage | PreparedMessage): string | undefined {
  return (message as Parts).body;
}

function bodyObjectOf(message: FilterMessage | PreparedMessage): Record<string, unknown> | undefined {
  if (message instanceof PreparedMessage) return message.bodyObject;
  return "body" in message ? parseBody(message.body) : undefined;
}

/**
 * Whether SNS delivers a message to the subscription, and nothing else: the hot path (no explanation,
 * no allocation beyond parsing the body). Pass a prepareMessage() result to parse a body once for many
 * policies. explainFilterPolicy gives the same verdict with the reasons.
 */
export function evaluateFilterPolicy(policy: CompiledPolicy, message: FilterMessage | PreparedMessage): Verdict {
  return policyMatches(policy, message) ? delivered : filteredOut;
}

/** evaluateFilterPolicy's verdict as a boolean. */
export function policyMatches(policy: CompiledPolicy, message: FilterMessage | PreparedMessage): boolean {
  const verdict = policy.verdict;
  // An empty policy ({} or empty text) filters nothing.
  if (verdict.empty) return true;
  if (policy.scope === "MessageAttributes") return verdict.attributes(attributesOf(message));
  // "Message body filtering": only a body that is a JSON object can match.
  const text = bodyTextOf(message);
  if (text === undefined || !verdict.bodyText(text)) return false;
  const body = message instanceof PreparedMessage ? message.bodyObject : parseBody(text);
  return body !== undefined && verdict.body(body);
}

/** Tests a compiled policy against one message: whether SNS delivers it to the subscription, and why, key by key. */
export function explainFilterPolicy(policy: CompiledPolicy, message: FilterMessage | PreparedMessage): Evaluation {
  const root = policy.root;
  if (policy.verdict.empty) return { match: true, explanation: { kind: "and", matched: true, children: [] } };
  let values: MessageValues;
  if (policy.scope === "MessageAttributes") {
    values = attributeValues(attributesOf(message));
  } else {
    const body = bodyObjectOf(message);
    if (!body) {
      const text = bodyTextOf(message);
      const explanation: ExplanationNode = { kind: "unparsable-body", matched: false, note: unparsableBodyNote(text) };
      return { match: false, explanation };
    }
    values = bodyValues(body, policy);
  }
  return { match: policyHolds(root, values), explanation: explainGroup(root, values) };
}
