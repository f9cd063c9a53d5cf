import { describe, expect, it } from "vitest";
import type { FailedAttempt } from "./failure-groups";
import { letterVerdict, replayWarning, type ConsumerCode } from "./replay-warning";

const T = Date.parse("2026-12-03T06:00:00Z");
const attempt = (minutes: number, message = "card 4242 declined", functionName = "payment"): FailedAttempt => ({
  at: T + minutes * 60_000,
  functionName,
  exception: { type: "PaymentError", message },
});
const codes = (entries: Record<string, number | undefined>) => (fn: string) =>
  fn in entries
    ? ({ functionName: fn, ...(entries[fn] !== undefined ? { lastModified: entries[fn] } : {}) } as ConsumerCode)
    : undefined;

describe("letterVerdict", () => {
  it("is unchanged when the last attempts failed alike and the code is older than the last one", () => {
    const v = letterVerdict([attempt(1), attempt(2, "card 1111 declined"), attempt(3)], codes({ payment: T }));
    expect(v).toEqual({
      kind: "unchanged",
      error: "PaymentError: card <n> declined",
      functionName: "payment",
      lastAttemptAt: T + 180_000,
    });
  });

  it("is changed when the function was modified after the last attempt", () => {
    const v = letterVerdict([attempt(1), attempt(2)], codes({ payment: T + 150_000 }));
    expect(v).toMatchObject({ kind: "changed", reason: "payment changed after the last attempt" });
  });

  it("looks at the last three attempts only: an older, different error does not count", () => {
    const v = letterVerdict([attempt(0, "timeout"), attempt(1), attempt(2), attempt(3)], codes({ payment: T }));
    expect(v.kind).toBe("unchanged");
    const mixed = letterVerdict([attempt(1), attempt(2, "timeout"), attempt(3)], codes({ payment: T }));
    expect(mixed).toMatchObject({ kind: "changed", reason: "its last attempts failed in different ways" });
  });

  it("is changed when the attempts ran in different functions, unknown without attempts or code", () => {
    expect(letterVerdict([attempt(1), attempt(2, undefined, "payment-v2")], codes({ payment: T })).kind).toBe(
      "changed",
    );
    expect(letterVerdict([], codes({ payment: T }))).toEqual({ kind: "unknown", reason: "no failed attempt traced" });
    expect(letterVerdict([attempt(1)], codes({}))).toMatchObject({
      kind: "unknown",
      reason: "payment's code could not be read",
    });
    expect(letterVerdict([attempt(1)], codes({ payment: undefined })).kind).toBe("unknown");
  });
});

describe("replayWarning", () => {
  const codeOf = codes({ payment: T, inventory: T });
  const unchanged = (error: string, functionName = "payment") =>
    ({ kind: "unchanged", error, functionName, lastAttemptAt: T + 60_000 }) as const;

  it("says nothing when no letter is unchanged", () => {
    expect(
      replayWarning(
        [
          { kind: "changed", reason: "x" },
          { kind: "unknown", reason: "y" },
        ],
        2,
        codeOf,
      ),
    ).toBeUndefined();
  });

  it("counts the unchanged letters, names the most common error and the consumer with its code's date", () => {
    const w = replayWarning(
      [
        unchanged("E: a"),
        unchanged("E: b"),
        unchanged("E: b"),
        { kind: "changed", reason: "x" },
        { kind: "unknown", reason: "y" },
      ],
      5,
      codeOf,
    )!;
    expect(w).toMatchObject({
      count: 3,
      examined: 4,
      total: 5,
      error: "E: b",
      errors: [
        { error: "E: b", count: 2 },
        { error: "E: a", count: 1 },
      ],
      consumers: [{ functionName: "payment", lastModified: "2026-12-03T06:00:00.000Z" }],
    });
    expect(w.message).toBe(
      "3 of the 4 letters examined (of 5) failed their last attempts with E: b (and 1 other error), and payment has not " +
        "changed since. Replayed now, they will likely fail the same way and return to the DLQ.",
    );
  });

  it("says every letter when all were examined, and names several consumers", () => {
    const w = replayWarning([unchanged("E: a"), unchanged("E: a", "inventory")], 2, codeOf)!;
    expect(w.message).toMatch(
      /^2 of 2 failed their last attempts with E: a, and inventory, payment have not changed since\./,
    );
  });
});
