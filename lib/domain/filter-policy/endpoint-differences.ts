import type { FilterPolicyScope } from "./types";

/**
 * Where a known AWS emulator treats a valid policy differently from AWS. The engine follows AWS;
 * these notes tell the operator what the connected endpoint will do instead. Measured on
 * moto 5.2.3 (docs/local-aws.md); the endpoint is named by configuration (FANOUT_LOCAL_AWS_NAME),
 * since nothing in the API reveals it.
 */
export interface EndpointDifference {
  /** JSON path of the rule concerned, `$` for the whole policy. */
  path: string;
  /** The dotted key path the rule belongs to (`customer.tier`), "" for the top level: where the form shows it. */
  keyPath: string;
  message: string;
  /** Saving it would stop the endpoint delivering anything on the topic. */
  breaksDeliveries: boolean;
}

export function endpointDifferences(
  endpoint: string | undefined,
  policy: unknown,
  scope: FilterPolicyScope,
): EndpointDifference[] {
  if (endpoint !== "moto") return [];
  const found: EndpointDifference[] = [];
  // `keys` is the key path so far; operator objects inside a key's array keep their key's path.
  const walk = (value: unknown, path: string, keys: string[], inRule: boolean) => {
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${path}[${i}]`, keys, inRule || keys.length > 0));
    if (!value || typeof value !== "object") return;
    for (const [key, inner] of Object.entries(value)) {
      const at = `${path}.${key}`;
      const keyPath = keys.join(".");
      if (key === "$or" && scope === "MessageBody") {
        found.push({
          path: at,
          keyPath,
          message: "moto accepts $or in a MessageBody policy, then fails every Publish to the topic with HTTP 500.",
          breaksDeliveries: true,
        });
      } else if (inRule && (key === "cidr" || key === "wildcard")) {
        found.push({
          path: at,
          keyPath,
          message: `moto rejects \`${key}\` (Unrecognized match type ${key}); AWS accepts it.`,
          breaksDeliveries: false,
        });
      } else if (inRule && key === "exists" && inner === false && scope === "MessageAttributes") {
        // moto's FilterPolicyMatcher treats an empty attribute map like any other; AWS's "Key matching" note does not.
        found.push({
          path: at,
          keyPath,
          message:
            'moto delivers a message published without any attributes to `"exists": false`; AWS does not (it needs at least one attribute).',
          breaksDeliveries: false,
        });
      } else if (inRule && key === "equals-ignore-case" && typeof inner === "string" && inner !== inner.toLowerCase()) {
        found.push({
          path: at,
          keyPath,
          message:
            "moto matches equals-ignore-case only when the policy value is lower case; AWS ignores case on both sides.",
          breaksDeliveries: false,
        });
      }
      const isOperator = inRule || key === "$or";
      walk(inner, at, isOperator ? keys : [...keys, key], inRule);
    }
  };
  walk(policy, "$", [], false);
  return found;
}
