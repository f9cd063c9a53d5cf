import { describe, expect, it } from "vitest";
import { addNews, advanceAlert, dedupKeyOf, type AlertEvaluation, type AlertState } from "./alert-state";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const dlq = "arn:aws:sqs:eu-west-1:111111111111:orders-dlq";

const evaluation = (firing: boolean, extra: Partial<AlertEvaluation> = {}): AlertEvaluation => ({
  environment: "production",
  region: "eu-west-1",
  rule: "dead-letters-arrived",
  resource: dlq,
  firing,
  summary: firing ? "orders-dlq holds dead letters" : "orders-dlq is empty",
  link: "https://fanout.example.com/e/production/eu-west-1/dlq/orders-dlq",
  ...extra,
});

const policy = (now: number, silenced = false) => ({ now, renotifyEveryMs: 4 * HOUR, silenced });

/** Runs evaluations in order, each at its time, as the evaluator does: the stored state is the last step's. */
function run(steps: { at: number; evaluation: AlertEvaluation; silenced?: boolean }[]) {
  let state: AlertState | undefined;
  return steps.map((step) => {
    const result = advanceAlert(state, step.evaluation, policy(step.at, step.silenced));
    // As the store does: a write raises the version.
    if (result.changed && result.state) state = { ...result.state, version: result.state.version + 1 };
    return result;
  });
}

describe("one alert's notifications", () => {
  it("fire when it starts, with the dedup key per rule and resource", () => {
    const [first] = run([{ at: 1_000, evaluation: evaluation(true, { news: { count: 3, newestId: "m-3" } }) }]);
    expect(first!.notification).toEqual({
      environment: "production",
      region: "eu-west-1",
      rule: "dead-letters-arrived",
      resource: dlq,
      status: "firing",
      reason: "firing",
      dedupKey: `production/eu-west-1/dead-letters-arrived/${dlq}`,
      summary: "orders-dlq holds dead letters (3 new, newest m-3)",
      link: "https://fanout.example.com/e/production/eu-west-1/dlq/orders-dlq",
      since: 1_000,
      news: { count: 3, newestId: "m-3" },
    });
    expect(first!.state).toMatchObject({ status: "firing", since: 1_000, notifiedAt: 1_000, notifiedStatus: "firing" });
    expect(first!.state).not.toHaveProperty("untold");
  });

  it("stay quiet while nothing changes, then remind at the interval, from the last notification", () => {
    const steps = run([
      { at: 0, evaluation: evaluation(true) },
      { at: MINUTE, evaluation: evaluation(true) },
      { at: 4 * HOUR - 1, evaluation: evaluation(true) },
      { at: 4 * HOUR, evaluation: evaluation(true) },
      { at: 5 * HOUR, evaluation: evaluation(true) },
      { at: 8 * HOUR, evaluation: evaluation(true) },
    ]);
    expect(steps.map((s) => s.notification?.reason)).toEqual([
      "firing",
      undefined,
      undefined,
      "reminder",
      undefined,
      "reminder",
    ]);
    // A reminder keeps the firing's start.
    expect(steps[5]!.notification?.since).toBe(0);
  });

  it("fire again whenever new dead letters arrive, with how many, the newest id and its first error", () => {
    const steps = run([
      { at: 0, evaluation: evaluation(true, { news: { count: 1, newestId: "m-1" } }) },
      { at: MINUTE, evaluation: evaluation(true, { news: { count: 0 } }) },
      {
        at: 2 * MINUTE,
        evaluation: evaluation(true, { news: { count: 499, newestId: "m-500", firstError: "Timeout" } }),
      },
    ]);
    expect(steps.map((s) => s.notification?.reason)).toEqual(["firing", undefined, "news"]);
    expect(steps[2]!.notification).toMatchObject({
      status: "firing",
      since: 0,
      summary: "orders-dlq holds dead letters (499 new since the last notification, newest m-500: Timeout)",
      news: { count: 499, newestId: "m-500", firstError: "Timeout" },
    });
  });

  it("resolve once, and fire anew (a new since) when it comes back", () => {
    const steps = run([
      { at: 0, evaluation: evaluation(true) },
      { at: MINUTE, evaluation: evaluation(false) },
      { at: 2 * MINUTE, evaluation: evaluation(false) },
      { at: 3 * MINUTE, evaluation: evaluation(true) },
    ]);
    expect(steps.map((s) => [s.notification?.status, s.notification?.reason])).toEqual([
      ["firing", "firing"],
      ["resolved", "resolved"],
      [undefined, undefined],
      ["firing", "firing"],
    ]);
    expect(steps[1]!.notification).toMatchObject({ summary: "orders-dlq is empty", since: 0 });
    expect(steps[1]!.state).toMatchObject({ status: "resolved", resolvedAt: MINUTE, since: 0 });
    // Resolved and still fine: nothing to write.
    expect(steps[2]!.changed).toBe(false);
    expect(steps[3]!.notification?.since).toBe(3 * MINUTE);
    expect(steps[3]!.notification?.dedupKey).toBe(steps[0]!.notification?.dedupKey);
  });

  it("make no state for a resource that never fired", () => {
    expect(advanceAlert(undefined, evaluation(false), policy(0))).toEqual({ state: undefined, changed: false });
  });
});

describe("a silence", () => {
  it("holds notifications back but keeps the state, and what it held back is told once it ends", () => {
    const steps = run([
      { at: 0, evaluation: evaluation(true, { news: { count: 2, newestId: "m-2" } }), silenced: true },
      { at: MINUTE, evaluation: evaluation(true, { news: { count: 5, newestId: "m-7" } }), silenced: true },
      { at: 2 * MINUTE, evaluation: evaluation(true), silenced: false },
    ]);
    expect(steps.map((s) => s.notification)).toEqual([undefined, undefined, expect.anything()]);
    expect(steps.map((s) => s.suppressed)).toEqual(["firing", "firing", undefined]);
    expect(steps[1]!.state).toMatchObject({ status: "firing", since: 0, untold: { count: 7, newestId: "m-7" } });
    // Never told before: the first notification is a firing one, with everything held back.
    expect(steps[2]!.notification).toMatchObject({ reason: "firing", since: 0, news: { count: 7, newestId: "m-7" } });
    expect(steps[2]!.notification?.summary).toBe("orders-dlq holds dead letters (7 new, newest m-7)");
  });

  it("holds back news and reminders of an alert told before", () => {
    const steps = run([
      { at: 0, evaluation: evaluation(true) },
      { at: MINUTE, evaluation: evaluation(true, { news: { count: 4 } }), silenced: true },
      { at: 5 * HOUR, evaluation: evaluation(true), silenced: true },
      { at: 5 * HOUR + MINUTE, evaluation: evaluation(true) },
    ]);
    expect(steps.map((s) => s.notification?.reason ?? s.suppressed)).toEqual(["firing", "news", "news", "news"]);
    expect(steps.map((s) => Boolean(s.notification))).toEqual([true, false, false, true]);
    expect(steps[3]!.notification?.news).toEqual({ count: 4 });
  });

  it("lets the resolution of an alert it was told about through, and keeps quiet about one never told", () => {
    const told = run([
      { at: 0, evaluation: evaluation(true) },
      { at: MINUTE, evaluation: evaluation(false), silenced: true },
    ]);
    expect(told[1]!.notification).toMatchObject({ status: "resolved" });
    const neverTold = run([
      { at: 0, evaluation: evaluation(true), silenced: true },
      { at: MINUTE, evaluation: evaluation(false) },
    ]);
    expect(neverTold[1]!.notification).toBeUndefined();
    expect(neverTold[1]!.state).toMatchObject({ status: "resolved" });
  });
});

describe("news", () => {
  it("adds up counts, keeps the latest newest id and error, and ignores no news", () => {
    expect(addNews(undefined, { count: 0 })).toBeUndefined();
    expect(addNews({ count: 2, newestId: "a", firstError: "E1" }, { count: 3, newestId: "b" })).toEqual({
      count: 5,
      newestId: "b",
      firstError: "E1",
    });
    expect(addNews({ count: 2 }, undefined)).toEqual({ count: 2 });
    expect(addNews({ count: 1, traceLink: "t-1" }, { count: 1, traceLink: "t-2" })).toEqual({
      count: 2,
      traceLink: "t-2",
    });
    expect(addNews({ count: 1, traceLink: "t-1" }, { count: 1, newestId: "m" })).toEqual({
      count: 2,
      newestId: "m",
      traceLink: "t-1",
    });
  });

  it("keys every rule and resource apart", () => {
    const key = { environment: "p", region: "r", rule: "consumer-paused" as const, resource: "arn:f" };
    expect(dedupKeyOf(key)).toBe("p/r/consumer-paused/arn:f");
    expect(dedupKeyOf({ ...key, rule: "redrive-job-failed" })).not.toBe(dedupKeyOf(key));
  });
});
