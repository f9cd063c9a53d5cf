import { consistentlyHolds, existsTrueValue, leafHolds } from "./match";
import type { MessageValues } from "./message";
import type { AndGroup, ExplanationNode, Leaf, OrGroup, Scalar } from "./types";

/**
 * Why a message matched or not, key by key: the values each key saw and which of its conditions held.
 * The root's verdict is the evaluation's.
 */

const numericKinds = new Set(["numeric"]);
const stringKinds = new Set(["prefix", "suffix", "equals-ignore-case", "wildcard", "cidr"]);

/** A hint when the values are of a type the key's conditions never match ("Numeric value matching" needs numbers). */
function typeHint(leaf: Leaf, values: readonly Scalar[]): string | undefined {
  const kinds = leaf.conditions.map((c) => c.spec.kind);
  if (kinds.some((k) => numericKinds.has(k)) && values.every((v) => typeof v === "string")) {
    return "numeric conditions match numbers only (a Number attribute or a JSON number), not strings";
  }
  if (kinds.some((k) => stringKinds.has(k)) && values.every((v) => typeof v !== "string")) {
    return "string conditions match strings only";
  }
  return undefined;
}

function explainLeaf(leaf: Leaf, message: MessageValues): ExplanationNode {
  const values = message.values(leaf.path);
  const existsFalseHolds = message.existsFalseHolds(leaf.path);
  const matched = leafHolds(leaf, values, existsFalseHolds);
  const conditions = leaf.conditions.map((c) => ({
    condition: c.text,
    held:
      c.spec.kind === "exists"
        ? c.spec.value
          ? values.some(existsTrueValue)
          : values.length === 0 && existsFalseHolds
        : values.some((v) => c.test(v)),
  }));
  const note = message.note(leaf.path) ?? (matched || values.length === 0 ? undefined : typeHint(leaf, values));
  return {
    kind: "key",
    path: leaf.path,
    matched,
    seen: values.map((v) => JSON.stringify(v)),
    conditions,
    ...(note ? { note } : {}),
  };
}

function explainOr(or: OrGroup, message: MessageValues): ExplanationNode {
  const children = or.branches.map((branch) => explainGroup(branch, message));
  return { kind: "or", matched: children.some((c) => c.matched), children };
}

export function explainGroup(group: AndGroup, message: MessageValues): ExplanationNode {
  const children = [
    ...group.leaves.map((leaf) => explainLeaf(leaf, message)),
    ...group.ors.map((or) => explainOr(or, message)),
  ];
  const each = children.every((c) => c.matched);
  // Every key may hold on its own and still fail together, from different elements of an array of objects.
  const matched = each && (!message.hasTrails || consistentlyHolds(group, message));
  if (each && !matched) {
    for (const child of children) {
      if (child.kind === "key" && !child.note)
        child.note = "held only in a different element of an array of objects than the other keys";
    }
  }
  return { kind: "and", matched, children };
}
