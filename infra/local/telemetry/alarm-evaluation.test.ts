import { describe, expect, it } from "vitest";
import {
  evaluateAlarm,
  evaluationRange,
  evaluationWindow,
  formatAlarmTime,
  formatAlarmValue,
  type AlarmDefinition,
  type AlarmState,
  type ComparisonOperator,
  type Datapoint,
  type TreatMissingData,
} from "./alarm-evaluation";

// Times: one-minute periods; "now" is 28/11/26 07:42:30 UTC, so the newest complete period is
// 07:41:00–07:42:00 and 07:42:00–07:43:00 is still filling.
const P = 60_000;
const END = Date.UTC(2026, 10, 28, 7, 42, 0);
const NOW = END + 30_000;
/** Start of the k-th newest complete period (k = 1 is 07:41:00). */
const period = (k: number) => END - k * P;

const alarm = (overrides: Partial<AlarmDefinition> = {}): AlarmDefinition => ({
  name: "dlq-depth",
  periodSeconds: 60,
  evaluationPeriods: 1,
  threshold: 0,
  comparisonOperator: "GreaterThanThreshold",
  ...overrides,
});

/**
 * The guide's notation, oldest → newest over the whole evaluation range (N + 2 periods):
 * "0" a datapoint that does not breach, "X" one that breaches, "-" a missing one.
 * With threshold 3 and GreaterThanThreshold, 0 → 1.0 and X → 5.0.
 */
function fromPattern(pattern: string): Datapoint[] {
  const cells = pattern.split(/\s+/);
  return cells.flatMap((cell, i) => {
    const start = period(cells.length - i);
    if (cell === "-") return [];
    return [{ timestamp: start, value: cell === "X" ? 5 : 1 }];
  });
}

describe("evaluationWindow", () => {
  it("is the most recent complete periods, aligned to the epoch, the current one excluded", () => {
    expect(evaluationWindow(alarm({ evaluationPeriods: 3 }), NOW)).toEqual({
      start: period(3),
      end: END,
      periodStarts: [period(3), period(2), period(1)],
    });
  });

  it("ends exactly at now when now is on a boundary", () => {
    expect(evaluationWindow(alarm(), END)).toEqual({ start: period(1), end: END, periodStarts: [period(1)] });
  });

  it("aligns five-minute periods to the epoch, not to now", () => {
    const now = Date.UTC(2026, 10, 28, 7, 42, 30);
    const w = evaluationWindow(alarm({ periodSeconds: 300, evaluationPeriods: 2 }), now);
    expect(w.periodStarts).toEqual([Date.UTC(2026, 10, 28, 7, 30), Date.UTC(2026, 10, 28, 7, 35)]);
    expect(w.end).toBe(Date.UTC(2026, 10, 28, 7, 40));
  });

  it("has an evaluation range two periods longer, ending at the same place", () => {
    const r = evaluationRange(alarm({ evaluationPeriods: 3 }), NOW);
    expect(r.periodStarts).toEqual([period(5), period(4), period(3), period(2), period(1)]);
    expect(r.end).toBe(END);
  });
});

describe("evaluateAlarm: 1 out of 1, greater than 0", () => {
  it("goes to ALARM on a breaching datapoint, with CloudWatch's reason", () => {
    const result = evaluateAlarm(alarm(), [{ timestamp: period(1), value: 3 }], "OK", NOW);
    expect(result.state).toBe("ALARM");
    expect(result.reason).toBe(
      "Threshold Crossed: 1 out of the last 1 datapoints [3.0 (28/11/26 07:41:00)] was " +
        "greater than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).",
    );
    expect(result.window).toEqual([{ start: period(1), value: 3, breaching: true }]);
  });

  it("goes to OK on a datapoint that does not breach", () => {
    const result = evaluateAlarm(alarm(), [{ timestamp: period(1), value: 0 }], "ALARM", NOW);
    expect(result.state).toBe("OK");
    expect(result.reason).toBe(
      "Threshold Crossed: 1 out of the last 1 datapoints [0.0 (28/11/26 07:41:00)] was not " +
        "greater than the threshold (0.0) (minimum 1 datapoint for ALARM -> OK transition).",
    );
    expect(result.window).toEqual([{ start: period(1), value: 0, breaching: false }]);
  });

  it("names no transition when the state does not change", () => {
    const result = evaluateAlarm(alarm(), [{ timestamp: period(1), value: 2.5 }], "ALARM", NOW);
    expect(result.state).toBe("ALARM");
    expect(result.reason).toBe(
      "Threshold Crossed: 1 out of the last 1 datapoints [2.5 (28/11/26 07:41:00)] was greater than the threshold (0.0).",
    );
  });
});

describe("evaluateAlarm: 3 out of 5", () => {
  const def = alarm({ evaluationPeriods: 5, datapointsToAlarm: 3, threshold: 10 });
  const values = (vs: number[]): Datapoint[] => vs.map((value, i) => ({ timestamp: period(vs.length - i), value }));

  it.each<[string, number[], AlarmState, number]>([
    ["three breaching, not consecutive", [11, 1, 12, 2, 13], "ALARM", 3],
    ["all five breaching", [11, 11, 11, 11, 11], "ALARM", 5],
    ["two breaching", [11, 1, 12, 2, 3], "OK", 2],
    ["none breaching", [1, 2, 3, 4, 5], "OK", 0],
    ["three breaching, the oldest ones", [20, 20, 20, 1, 1], "ALARM", 3],
  ])("%s → %s", (_label, vs, expected, breachingCount) => {
    const result = evaluateAlarm(def, values(vs), "OK", NOW);
    expect(result.state).toBe(expected);
    expect(result.window.map((p) => p.start)).toEqual([period(5), period(4), period(3), period(2), period(1)]);
    expect(result.window.filter((p) => p.breaching === true)).toHaveLength(breachingCount);
  });

  it("lists the breaching values newest first, with the counts and the threshold", () => {
    const result = evaluateAlarm(def, values([11, 1, 12, 2, 13]), "OK", NOW);
    expect(result.reason).toBe(
      "Threshold Crossed: 3 out of the last 5 datapoints [13.0 (28/11/26 07:41:00), " +
        "12.0 (28/11/26 07:39:00), 11.0 (28/11/26 07:37:00)] were greater than " +
        "the threshold (10.0) (minimum 3 datapoints for OK -> ALARM transition).",
    );
  });

  it("needs N − M + 1 datapoints not breaching for ALARM -> OK", () => {
    const result = evaluateAlarm(def, values([11, 1, 12, 2, 3]), "ALARM", NOW);
    expect(result.reason).toBe(
      "Threshold Crossed: 3 out of the last 5 datapoints [3.0 (28/11/26 07:41:00), " +
        "2.0 (28/11/26 07:40:00), 1.0 (28/11/26 07:38:00)] were not greater than " +
        "the threshold (10.0) (minimum 3 datapoints for ALARM -> OK transition).",
    );
  });
});

describe("evaluateAlarm: comparison operators at and around the threshold", () => {
  it.each<[ComparisonOperator, number, boolean]>([
    ["GreaterThanThreshold", 10, false],
    ["GreaterThanThreshold", 10.001, true],
    ["GreaterThanOrEqualToThreshold", 10, true],
    ["GreaterThanOrEqualToThreshold", 9.999, false],
    ["LessThanThreshold", 10, false],
    ["LessThanThreshold", 9.5, true],
    ["LessThanOrEqualToThreshold", 10, true],
    ["LessThanOrEqualToThreshold", 10.5, false],
    ["LessThanThreshold", -1, true],
  ])("%s with %s → breaching %s", (comparisonOperator, value, breaching) => {
    const result = evaluateAlarm(
      alarm({ comparisonOperator, threshold: 10 }),
      [{ timestamp: period(1), value }],
      "OK",
      NOW,
    );
    expect(result.window).toEqual([{ start: period(1), value, breaching }]);
    expect(result.state).toBe(breaching ? "ALARM" : "OK");
  });

  it.each<[ComparisonOperator, string]>([
    ["GreaterThanOrEqualToThreshold", "was greater than or equal to the threshold (10.0)"],
    ["LessThanThreshold", "was not less than the threshold (10.0)"],
    ["LessThanOrEqualToThreshold", "was less than or equal to the threshold (10.0)"],
  ])("words %s as CloudWatch does", (comparisonOperator, words) => {
    const result = evaluateAlarm(
      alarm({ comparisonOperator, threshold: 10 }),
      [{ timestamp: period(1), value: 10 }],
      "INSUFFICIENT_DATA",
      NOW,
    );
    expect(result.reason).toContain(words);
  });
});

describe("evaluateAlarm: missing data, the User Guide's example tables", () => {
  // "Configuring how CloudWatch alarms treat missing data" → "How alarm state is evaluated when data
  // is missing": 5 datapoints retrieved, columns MISSING, IGNORE, BREACHING, NOT BREACHING.
  // "keep" is "Retain current state"; the current state used is OK, and ALARM in a second pass.
  type Row = [
    pattern: string,
    missing: AlarmState,
    ignore: AlarmState | "keep",
    breaching: AlarmState,
    notBreaching: AlarmState,
  ];
  const run = (m: number, rows: Row[]) =>
    it.each(rows)("%s → missing %s, ignore %s, breaching %s, notBreaching %s", (pattern, ...expected) => {
      const treatments: TreatMissingData[] = ["missing", "ignore", "breaching", "notBreaching"];
      for (const current of ["OK", "ALARM"] as const) {
        const got = treatments.map(
          (treatMissingData) =>
            evaluateAlarm(
              alarm({ evaluationPeriods: 3, datapointsToAlarm: m, threshold: 3, treatMissingData }),
              fromPattern(pattern),
              current,
              NOW,
            ).state,
        );
        expect(got).toEqual(expected.map((e) => (e === "keep" ? current : e)));
      }
    });

  describe("3 out of 3", () => {
    run(3, [
      ["0 - X - X", "OK", "OK", "OK", "OK"],
      ["0 - - - -", "OK", "OK", "OK", "OK"],
      ["- - - - -", "INSUFFICIENT_DATA", "keep", "ALARM", "OK"],
      ["0 X X - X", "ALARM", "ALARM", "ALARM", "ALARM"],
      ["- - - - X", "INSUFFICIENT_DATA", "keep", "ALARM", "OK"],
      // One revision of the guide lists ALARM for `missing` here, which contradicts the row above
      // under the rules it states; this module gives INSUFFICIENT_DATA (see the module comment).
      ["X - - - -", "INSUFFICIENT_DATA", "keep", "ALARM", "OK"],
    ]);
  });

  describe("2 out of 3", () => {
    run(2, [
      ["0 - X - X", "ALARM", "ALARM", "ALARM", "ALARM"],
      ["0 0 X 0 X", "ALARM", "ALARM", "ALARM", "ALARM"],
      ["0 - X - -", "OK", "OK", "ALARM", "OK"],
      ["- - - - 0", "OK", "OK", "ALARM", "OK"],
      ["- - - - X", "INSUFFICIENT_DATA", "keep", "ALARM", "OK"],
    ]);
  });

  it("evaluates the most recent real datapoints, reaching back into the range, when enough exist", () => {
    const result = evaluateAlarm(alarm({ evaluationPeriods: 3, threshold: 3 }), fromPattern("0 X X - X"), "OK", NOW);
    expect(result.window).toEqual([
      { start: period(4), value: 5, breaching: true },
      { start: period(3), value: 5, breaching: true },
      { start: period(1), value: 5, breaching: true },
    ]);
  });

  it("fills as few missing datapoints as possible, the most recent missing periods", () => {
    const def = alarm({ evaluationPeriods: 3, threshold: 3, treatMissingData: "breaching" });
    const result = evaluateAlarm(def, fromPattern("0 - - - -"), "ALARM", NOW);
    expect(result.state).toBe("OK");
    expect(result.window).toEqual([
      { start: period(5), value: 1, breaching: false },
      { start: period(2), breaching: true },
      { start: period(1), breaching: true },
    ]);
    expect(result.reason).toBe(
      "Threshold Crossed: 1 out of the last 3 datapoints [1.0 (28/11/26 07:37:00)] " +
        "was not greater than the threshold (3.0) and 2 missing datapoints were " +
        "treated as [Breaching] (minimum 1 datapoint for ALARM -> OK transition).",
    );
  });
});

describe("evaluateAlarm: each treatment with all and some data missing, 1 out of 1", () => {
  // With N = 1 the range is 3 periods: the newest missing datapoint is looked past while an older
  // one is in the range ("some missing"); with none in the range the treatment decides ("all").
  const lookBack: Datapoint[] = [{ timestamp: period(3), value: 7 }];

  it.each<[TreatMissingData, AlarmState, AlarmState]>([
    ["missing", "OK", "INSUFFICIENT_DATA"],
    ["missing", "ALARM", "INSUFFICIENT_DATA"],
    ["ignore", "OK", "OK"],
    ["ignore", "ALARM", "ALARM"],
    ["ignore", "INSUFFICIENT_DATA", "INSUFFICIENT_DATA"],
    ["breaching", "OK", "ALARM"],
    ["notBreaching", "ALARM", "OK"],
  ])("all missing, %s, from %s → %s", (treatMissingData, current, expected) => {
    const result = evaluateAlarm(alarm({ treatMissingData }), [], current, NOW);
    expect(result.state).toBe(expected);
    expect(result.window).toEqual([
      {
        start: period(1),
        breaching: treatMissingData === "breaching" ? true : treatMissingData === "notBreaching" ? false : "missing",
      },
    ]);
  });

  it.each<TreatMissingData>(["missing", "ignore", "breaching", "notBreaching"])(
    "some missing, %s: the older real datapoint is evaluated and the treatment is not used",
    (treatMissingData) => {
      const result = evaluateAlarm(alarm({ treatMissingData }), lookBack, "OK", NOW);
      expect(result.state).toBe("ALARM");
      expect(result.window).toEqual([{ start: period(3), value: 7, breaching: true }]);
    },
  );

  it("words the all-missing reasons", () => {
    expect(evaluateAlarm(alarm({ treatMissingData: "breaching" }), [], "OK", NOW).reason).toBe(
      "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint " +
        "was treated as [Breaching] (minimum 1 datapoint for OK -> ALARM transition).",
    );
    expect(evaluateAlarm(alarm({ treatMissingData: "notBreaching" }), [], "ALARM", NOW).reason).toBe(
      "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint " +
        "was treated as [NonBreaching] (minimum 1 datapoint for ALARM -> OK transition).",
    );
    expect(evaluateAlarm(alarm(), [], "OK", NOW).reason).toBe(
      "Insufficient Data: no datapoints were received for 3 periods (the evaluation range) and missing data is treated as [Missing].",
    );
    expect(evaluateAlarm(alarm({ treatMissingData: "ignore" }), [], "ALARM", NOW).reason).toBe(
      "Unchanged: 1 datapoint was missing; missing data is treated as [Ignore], so the alarm stays ALARM.",
    );
  });

  it("words a partly missing, undecided window with its values", () => {
    const def = alarm({ evaluationPeriods: 3, datapointsToAlarm: 2, threshold: 3 });
    const result = evaluateAlarm(def, fromPattern("- - - - X"), "OK", NOW);
    expect(result.reason).toBe(
      "Insufficient Data: 1 out of the last 3 datapoints [5.0 (28/11/26 07:41:00)] was greater than the " +
        "threshold (3.0), fewer than the 2 needed to alarm, and 2 datapoints were missing (treated as [Missing]).",
    );
  });

  it("says which datapoints a decided `missing` evaluation left out", () => {
    const def = alarm({ evaluationPeriods: 3, datapointsToAlarm: 2, threshold: 3 });
    const result = evaluateAlarm(def, fromPattern("0 - X - -"), "ALARM", NOW);
    expect(result.state).toBe("OK");
    expect(result.reason).toBe(
      "Threshold Crossed: 1 out of the last 3 datapoints [1.0 (28/11/26 07:37:00)] was not greater than " +
        "the threshold (3.0) and 1 missing datapoint was not considered [Missing] (ALARM -> OK transition).",
    );
  });
});

describe("evaluateAlarm: which datapoints are looked at", () => {
  it("does not evaluate a datapoint in the still-incomplete current period", () => {
    const result = evaluateAlarm(alarm(), [{ timestamp: END + 10_000, value: 9 }], "OK", NOW);
    expect(result.state).toBe("INSUFFICIENT_DATA");
    expect(result.window).toEqual([{ start: period(1), breaching: "missing" }]);
  });

  it("evaluates the period that just ended when now is exactly on its end", () => {
    const result = evaluateAlarm(alarm(), [{ timestamp: period(1), value: 9 }], "OK", END);
    expect(result.state).toBe("ALARM");
  });

  it("ignores datapoints older than the evaluation range and in the future", () => {
    const datapoints: Datapoint[] = [
      { timestamp: period(4), value: 9 }, // one period before the 3-period range
      { timestamp: END + 5 * P, value: 9 },
    ];
    const result = evaluateAlarm(alarm({ treatMissingData: "notBreaching" }), datapoints, "ALARM", NOW);
    expect(result.state).toBe("OK");
    expect(result.window).toEqual([{ start: period(1), breaching: false }]);
  });

  it("ignores datapoints in the range but older than the window when the window is full", () => {
    const datapoints: Datapoint[] = [
      { timestamp: period(3), value: 9 },
      { timestamp: period(2), value: 9 },
      { timestamp: period(1), value: 0 },
    ];
    const result = evaluateAlarm(alarm(), datapoints, "ALARM", NOW);
    expect(result.state).toBe("OK");
    expect(result.window).toEqual([{ start: period(1), value: 0, breaching: false }]);
  });

  it("buckets a timestamp inside a period into that period, and the later of two wins", () => {
    const datapoints: Datapoint[] = [
      { timestamp: period(1) + 59_999, value: 9 },
      { timestamp: period(1) + 1, value: 0 },
    ];
    const result = evaluateAlarm(alarm(), datapoints, "ALARM", NOW);
    expect(result.window).toEqual([{ start: period(1), value: 0, breaching: false }]);
  });

  it("treats a non-finite value as missing", () => {
    const result = evaluateAlarm(alarm(), [{ timestamp: period(1), value: Number.NaN }], "OK", NOW);
    expect(result.state).toBe("INSUFFICIENT_DATA");
  });
});

describe("evaluateAlarm: definitions it refuses", () => {
  it.each<[string, Partial<AlarmDefinition>, RegExp]>([
    ["a zero period", { periodSeconds: 0 }, /periodSeconds/],
    ["a fractional evaluationPeriods", { evaluationPeriods: 1.5 }, /evaluationPeriods/],
    ["M greater than N", { evaluationPeriods: 2, datapointsToAlarm: 3 }, /datapointsToAlarm/],
    ["M of zero", { datapointsToAlarm: 0 }, /datapointsToAlarm/],
    ["a NaN threshold", { threshold: Number.NaN }, /threshold/],
  ])("%s", (_label, overrides, message) => {
    expect(() => evaluateAlarm(alarm(overrides), [], "OK", NOW)).toThrow(message);
  });

  it("refuses a non-finite now", () => {
    expect(() => evaluationWindow(alarm(), Number.NaN)).toThrow(/now/);
  });
});

describe("reason formatting", () => {
  it.each<[number, string]>([
    [3, "3.0"],
    [0, "0.0"],
    [-2, "-2.0"],
    [0.25, "0.25"],
    [1234.5, "1234.5"],
  ])("value %s → %s", (value, text) => {
    expect(formatAlarmValue(value)).toBe(text);
  });

  it("prints times as dd/MM/yy HH:mm:ss in UTC", () => {
    expect(formatAlarmTime(Date.UTC(2026, 0, 5, 3, 4, 5))).toBe("05/01/26 03:04:05");
  });
});
