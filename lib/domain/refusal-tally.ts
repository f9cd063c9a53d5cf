/**
 * Refusals are not audited one by one: anyone can send them at full speed, and the audit trail is
 * append-only. The first refusal of a key in a window is to be audited, carrying how many refusals
 * of that key there were since the last audited one (this one included); the rest are only counted.
 * Pure: every time is passed in.
 */

/** The window refusals are tallied in: the first of a key in it is audited, the rest counted into the next. */
export const REFUSAL_WINDOW_MS = 15 * 60_000;

/** When a refusal is to be audited: the refusals of the key since the last audited one (at `since`), this one included. */
export interface RefusalAudit {
  refused: number;
  since: number;
}

/** A key's open tally: the refusals counted since `since`, when the first of them was audited. */
export interface OpenRefusals {
  since: number;
  count: number;
}

/**
 * Counts a refusal into its key's tally (`open`, undefined when the key has none): the tally that
 * follows, and what to audit when this refusal is the first of a new window.
 */
export function noteRefusal(
  open: OpenRefusals | undefined,
  now: number,
  windowMs: number,
): { open: OpenRefusals; audit?: RefusalAudit } {
  if (open && now < open.since + windowMs) return { open: { since: open.since, count: open.count + 1 } };
  // The open window's count holds its own audited refusal, which this one replaces in the tally.
  return { open: { since: now, count: 1 }, audit: { refused: open?.count ?? 1, since: open?.since ?? now } };
}

/** Keys kept at most; the least recently refused go first, so a flood of keys cannot exhaust memory. */
const MAX_KEYS = 10_000;

/** Refusal tallies in memory, for what one process refuses on its own (lib/api/with-session.ts). */
export class RefusalTally {
  private readonly open = new Map<string, OpenRefusals>();

  constructor(private readonly windowMs: number) {}

  /** Counts a refusal; says what to audit when it is the first of its key in a new window. */
  note(key: string, now: number): RefusalAudit | undefined {
    const next = noteRefusal(this.open.get(key), now, this.windowMs);
    // A new window re-inserts its key, so the map's order is least recently refused first.
    if (next.audit) this.open.delete(key);
    this.open.set(key, next.open);
    while (this.open.size > MAX_KEYS) this.open.delete(this.open.keys().next().value!);
    return next.audit;
  }
}
