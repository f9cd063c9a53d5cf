/**
 * The operator names of SNS filter policies ("Amazon SNS message filtering" → "Filter policy
 * constraints" and the operator pages under it). An object in a `"$or"` array that uses one as a key
 * makes `"$or"` a plain key ("AND/OR logic" → "OR operator").
 */
export const OPERATOR_NAMES: ReadonlySet<string> = new Set([
  "exactly",
  "equals-ignore-case",
  "prefix",
  "suffix",
  "anything-but",
  "exists",
  "wildcard",
  "numeric",
  "cidr",
  "=",
  "<",
  "<=",
  ">",
  ">=",
  "regex",
  "not-wildcard",
  "not-equals-ignore-case",
  "date-after",
  "date-on-or-after",
  "date-before",
  "date-on-or-before",
  "in-date-range",
  "ip-address-in-range",
  "ip-address-not-in-range",
]);
