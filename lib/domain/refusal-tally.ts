/**
 * Refusals are not audited one by one: anyone can send them at full speed, and the audit trail is
 * append-only. The first refusal of a key in a window is to be audited, carrying how many refusals
 * of that key there were since the last audited one (this one included); the rest are only counted.
 * Pure: every time is passed in.
 */

/** When a refusal is to be audited: the refusals of the key since the last audited one (at `since`), this one included. */
export interface RefusalAudit {
  refused: number;
  since: number;
}

/** Keys kept at most; the least recently refused go first, so a flood of keys cannot exhaust memory. */
const MAX_KEYS = 10_000;

export class RefusalTally {
  private readonly open = new Map<string, { since: number; count: number }>();

  constructor(private readonly windowMs: number) {}

  /** Counts a refusal; says what to audit when it is the first of its key in a new window. */
  note(key: string, now: number): RefusalAudit | undefined {
    const open = this.open.get(key);
    if (open && now < open.since + this.windowMs) {
      open.count++;
      return undefined;
    }
    this.open.delete(key);
    this.open.set(key, { since: now, count: 1 });
    while (this.open.size > MAX_KEYS) this.open.delete(this.open.keys().next().value!);
    // The open window's count holds its own audited refusal, which this one replaces in the tally.
    return { refused: open?.count ?? 1, since: open?.since ?? now };
  }
}
