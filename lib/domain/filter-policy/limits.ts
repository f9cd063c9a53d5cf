/**
 * AWS's limits on a subscription filter policy ("Filter policy constraints" in the SNS Developer
 * Guide): at most 5 keys (for a nested policy, leaf keys), at most 150 combinations of values, and
 * at most 256 KiB of policy text. The engine enforces them; the editor shows how much is used.
 */
export const FILTER_POLICY_LIMITS = { maxKeys: 5, maxCombinations: 150, maxBytes: 262144 } as const;
