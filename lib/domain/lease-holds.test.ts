import { describe, expect, it } from "vitest";
import {
  describeHold,
  heldCount,
  jobProgressPhrase,
  heldElsewhereSentence,
  unaccountedInFlight,
  viewHolds,
  type JobHold,
  type QueueHolds,
  type ViewHold,
} from "./lease-holds";

const NOW = Date.parse("2025-03-01T12:00:00Z");
const time = (iso: string) => iso.slice(11, 19);

const job = (over: Partial<JobHold> = {}): JobHold => ({
  kind: "job",
  jobId: "1a2b3c4d-0000-4000-8000-000000000000",
  actor: "otto",
  engine: "fanout",
  count: 28,
  until: "2025-03-01T12:01:00.000Z",
  remaining: 40,
  moved: 12,
  ...over,
});

const view = (actor: string, count: number, until: string): ViewHold => ({ kind: "view", actor, count, until });

describe("viewHolds", () => {
  it("lists other people's live leases with letters, soonest to run out first", () => {
    const holds = viewHolds(
      [
        { user: "otto", count: 5, expiresAt: NOW + 60_000 },
        { user: "vera", count: 62, expiresAt: NOW + 240_000 },
        { user: "temp", count: 3, expiresAt: NOW + 30_000 },
        { user: "ada", count: 0, expiresAt: NOW + 30_000 },
        { user: "gone", count: 9, expiresAt: NOW },
      ],
      "otto",
      NOW,
    );
    expect(holds).toEqual([view("temp", 3, "2025-03-01T12:00:30.000Z"), view("vera", 62, "2025-03-01T12:04:00.000Z")]);
  });
});

describe("unaccountedInFlight", () => {
  it.each([
    { inFlight: 62, yours: 0, holds: [view("vera", 62, "")], want: 0 },
    { inFlight: 70, yours: 5, holds: [view("vera", 62, "")], want: 3 },
    { inFlight: 30, yours: 0, holds: [job({ count: null })], want: 30 },
    { inFlight: 10, yours: 0, holds: [job({ count: 28 })], want: 0 },
  ])("$inFlight in flight, $yours yours → $want", ({ inFlight, yours, holds, want }) => {
    expect(unaccountedInFlight(inFlight, yours, holds)).toBe(want);
  });

  it("counts only what the holds are known to hold", () => {
    expect(heldCount([view("vera", 62, ""), job({ count: null }), job({ count: 28 })])).toBe(90);
  });
});

describe("describeHold", () => {
  it("says how many, whose and until when", () => {
    expect(describeHold(view("vera", 62, "2025-03-01T12:04:00.000Z"), time)).toBe(
      "62 letters held by vera's view until 12:04:00",
    );
    expect(describeHold(view("vera", 1, "2025-03-01T12:04:00.000Z"), time)).toBe(
      "1 letter held by vera's view until 12:04:00",
    );
    expect(describeHold(job(), time)).toBe("28 letters held by redrive job 1a2b3c4d (started by otto) until 12:01:00");
  });

  it("says why a job's count is not known", () => {
    expect(describeHold(job({ count: null, until: null, engine: "sqs-move-task" }), time)).toBe(
      "an unknown number held by redrive job 1a2b3c4d (started by otto), which SQS's message move task runs",
    );
    expect(describeHold(job({ count: null, until: null }), time)).toContain("which another console process runs");
  });

  it("gives a job's progress", () => {
    expect(jobProgressPhrase(job())).toBe("40 remain to move, 12 moved");
    expect(jobProgressPhrase(job({ remaining: null, moved: 0 }))).toBe("remaining not counted yet, 0 moved");
  });
});

describe("heldElsewhereSentence", () => {
  const base: QueueHolds = { queue: "q", inFlight: 0, yours: 0, holds: [], unaccounted: 0 };

  it("is undefined when nothing is held elsewhere: the queue is really empty", () => {
    expect(heldElsewhereSentence(base, time)).toBeUndefined();
  });

  it("names every holder, and what SQS counts in flight beyond them", () => {
    const sentence = heldElsewhereSentence(
      { ...base, inFlight: 93, holds: [view("vera", 62, "2025-03-01T12:04:00.000Z"), job()], unaccounted: 3 },
      time,
    );
    expect(sentence).toBe(
      "Held elsewhere: 62 letters held by vera's view until 12:04:00; " +
        "28 letters held by redrive job 1a2b3c4d (started by otto) until 12:01:00; " +
        "3 letters in flight in no view or job of this console (a consumer, or another console).",
    );
  });
});
