/**
 * bcrypt work factors. `scripts/hash-password.ts` hashes at PASSWORD_HASH_COST; the decoy compared
 * against for an unknown user name uses the cost most configured users' hashes have, so a wrong
 * name takes as long as a wrong password and the timing tells no names apart.
 */

export const PASSWORD_HASH_COST = 12;

/** The cost of a bcrypt hash (`$2b$12$…` → 12), or undefined if it is not one. */
export function bcryptCost(hash: string): number | undefined {
  const match = /^\$2[aby]\$(\d{2})\$/.exec(hash);
  return match ? Number(match[1]) : undefined;
}

/** The most common cost among the hashes (the higher on a tie); undefined when there are none. */
export function decoyCost(hashes: readonly string[]): number | undefined {
  const counts = new Map<number, number>();
  for (const hash of hashes) {
    const cost = bcryptCost(hash);
    if (cost !== undefined) counts.set(cost, (counts.get(cost) ?? 0) + 1);
  }
  let best: [number, number] | undefined;
  for (const [cost, count] of counts) {
    if (!best || count > best[1] || (count === best[1] && cost > best[0])) best = [cost, count];
  }
  return best?.[0];
}
