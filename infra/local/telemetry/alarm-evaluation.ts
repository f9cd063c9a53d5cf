/**
 * CloudWatch metric-alarm evaluation, for the local run: moto stores alarms but never evaluates
 * them. Pure: the caller fetches one datapoint per period (with the alarm's statistic already
 * applied) and passes the clock in; nothing here reads the time, the environment or the network.
 *
 * Sources, all in the Amazon CloudWatch User Guide, "Using Amazon CloudWatch alarms":
 *
 * - "Alarm evaluation" → "Alarm evaluation settings": Period, Evaluation Periods (N) and Datapoints
 *   to Alarm (M). The alarm goes to ALARM when at least M of the N datapoints evaluated breach;
 *   the breaching datapoints need not be consecutive ("M out of N").
 * - "Configuring how CloudWatch alarms treat missing data": the four treatments, and its section
 *   "How alarm state is evaluated when data is missing", which this module follows step by step:
 *
 *   1. CloudWatch retrieves MORE datapoints than Evaluation Periods; the time frame it retrieves is
 *      the *evaluation range*.
 *   2. No datapoint in the range missing: the most recent N datapoints are evaluated.
 *   3. Some missing, but at least N real datapoints in the range: the most recent N *real*
 *      datapoints are evaluated (reaching back as far as the range allows) and the missing-data
 *      treatment is not used at all.
 *   4. Fewer than N real datapoints: every real datapoint in the range is evaluated, plus as few
 *      missing ones as possible (N minus the real count), filled in with the treatment.
 *   In every case N datapoints are evaluated: fewer than M breaching → OK, otherwise ALARM; for the
 *   `missing` and `ignore` treatments, the guide's example tables give the outcomes below.
 *
 * Simplifications against the guide, each stated where it is implemented:
 *
 * - The size of the evaluation range is not published ("depends on the length of the alarm period
 *   and whether it is based on a metric with standard resolution or high resolution"); the guide's
 *   only worked example retrieves 5 datapoints for 3 evaluation periods. This module uses N + 2
 *   periods for every alarm ({@link EVALUATION_RANGE_EXTRA_PERIODS}).
 * - Periods are aligned to the epoch and only complete periods are evaluated: the period that `now`
 *   falls in is still filling and is never evaluated.
 * - `missing` / `ignore` with some but not all data: see {@link decideWithoutFill}. One row of one
 *   revision of the guide's table ("X - - - -" → ALARM under `missing`) contradicts another row of
 *   the same table ("- - - - X" → INSUFFICIENT_DATA) under the rules the guide states; this module
 *   follows the stated rules and the rows that agree with them, and gives INSUFFICIENT_DATA for both.
 * - Only static thresholds on one metric; no anomaly-detection bands, metric math, percentile
 *   low-sample handling, or the M-of-N "re-evaluation after the metric stopped" timing beyond what
 *   the evaluation range implies.
 */

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";
export type ComparisonOperator =
  "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";
export type TreatMissingData = "missing" | "notBreaching" | "breaching" | "ignore";

export interface AlarmDefinition {
  name: string;
  periodSeconds: number;
  evaluationPeriods: number;
  /** M of "M out of N"; defaults to evaluationPeriods. */
  datapointsToAlarm?: number;
  threshold: number;
  comparisonOperator: ComparisonOperator;
  /** Defaults to "missing", as in CloudWatch. */
  treatMissingData?: TreatMissingData;
}

/** One value per period: the alarm's statistic already applied (the caller fetched it with that statistic); keyed by the period's start time in ms. */
export interface Datapoint {
  timestamp: number;
  value: number;
}

export interface EvaluatedPeriod {
  /** Start of the period, epoch ms. */
  start: number;
  /** The datapoint's value; absent for a missing datapoint filled in by the treatment. */
  value?: number;
  /** Whether it counted as breaching; "missing" when the treatment counts it as neither. */
  breaching: boolean | "missing";
}

export interface AlarmEvaluation {
  state: AlarmState;
  reason: string;
  /** the periods evaluated, oldest first, with breaching / not / missing */
  window: EvaluatedPeriod[];
}

export interface PeriodSpan {
  /** Start of the oldest period, epoch ms. */
  start: number;
  /** End of the newest period (exclusive), epoch ms; at or before `now`. */
  end: number;
  /** Start of each period, oldest first. */
  periodStarts: number[];
}

/**
 * How many periods beyond Evaluation Periods the evaluation range reaches back. The guide gives
 * no formula, only an example of 5 datapoints retrieved for 3 evaluation periods
 * ("How alarm state is evaluated when data is missing"), which is what this reproduces.
 */
export const EVALUATION_RANGE_EXTRA_PERIODS = 2;

/**
 * The most recent `evaluationPeriods` complete periods, aligned to period boundaries counted from
 * the epoch, ending at or before `now`. The period containing `now` is incomplete and excluded
 * (when `now` is exactly on a boundary, the period that just ended is the newest).
 */
export function evaluationWindow(def: AlarmDefinition, now: number): PeriodSpan {
  checkDefinition(def);
  return completePeriods(def, now, def.evaluationPeriods);
}

/** The evaluation range: the window extended back by {@link EVALUATION_RANGE_EXTRA_PERIODS}. */
export function evaluationRange(def: AlarmDefinition, now: number): PeriodSpan {
  checkDefinition(def);
  return completePeriods(def, now, def.evaluationPeriods + EVALUATION_RANGE_EXTRA_PERIODS);
}

/**
 * Evaluates the alarm at `now` the way CloudWatch does (see the module comment) and returns the
 * state it moves to (or stays in), a reason worded like CloudWatch's StateReason, and the periods
 * that were evaluated.
 *
 * Datapoints are bucketed by the period their timestamp falls in; ones outside the evaluation
 * range (older, or in the incomplete current period, or in the future) are not looked at. Should
 * two datapoints fall in one period, the later one in the array wins. Non-finite values count as
 * missing.
 */
export function evaluateAlarm(
  def: AlarmDefinition,
  datapoints: Datapoint[],
  currentState: AlarmState,
  now: number,
): AlarmEvaluation {
  checkDefinition(def);
  const n = def.evaluationPeriods;
  const m = def.datapointsToAlarm ?? n;
  const treatment = def.treatMissingData ?? "missing";
  const range = evaluationRange(def, now);
  const periodMs = def.periodSeconds * 1000;

  const byPeriod = new Map<number, number>();
  for (const dp of datapoints) {
    if (!Number.isFinite(dp.timestamp) || !Number.isFinite(dp.value)) continue;
    const start = Math.floor(dp.timestamp / periodMs) * periodMs;
    if (start >= range.start && start < range.end) byPeriod.set(start, dp.value);
  }

  const real: EvaluatedPeriod[] = [];
  for (const start of range.periodStarts) {
    const value = byPeriod.get(start);
    if (value !== undefined) real.push({ start, value, breaching: isBreaching(def, value) });
  }

  // Steps 2 and 3: enough real datapoints in the range; the treatment is not consulted.
  if (real.length >= n) {
    const window = real.slice(real.length - n);
    const breaching = window.filter((p) => p.breaching === true).length;
    const state: AlarmState = breaching >= m ? "ALARM" : "OK";
    return { state, window, reason: thresholdReason(def, window, state, currentState, m, treatment) };
  }

  // Step 4: every real datapoint, plus as few missing ones as possible, the most recent missing
  // periods in the range (which periods they are does not change the counts).
  const fillCount = n - real.length;
  const missingStarts = range.periodStarts.filter((start) => !byPeriod.has(start)).slice(-fillCount);
  const filledAs: boolean | "missing" =
    treatment === "breaching" ? true : treatment === "notBreaching" ? false : "missing";
  const filled: EvaluatedPeriod[] = missingStarts.map((start) => ({ start, breaching: filledAs }));
  const window = [...real, ...filled].sort((a, b) => a.start - b.start);
  const breaching = window.filter((p) => p.breaching === true).length;

  if (treatment === "breaching" || treatment === "notBreaching") {
    const state: AlarmState = breaching >= m ? "ALARM" : "OK";
    return { state, window, reason: thresholdReason(def, window, state, currentState, m, treatment) };
  }

  const decided = decideWithoutFill(real, m);
  if (decided)
    return { state: decided, window, reason: thresholdReason(def, window, decided, currentState, m, treatment) };
  if (treatment === "ignore") return { state: currentState, window, reason: keptReason(def, window, currentState, m) };
  return { state: "INSUFFICIENT_DATA", window, reason: insufficientReason(def, window, m, range.periodStarts.length) };
}

/**
 * `missing` and `ignore` when fewer than N real datapoints exist: the filled-in datapoints are
 * neither breaching nor not ("The alarm does not consider missing data points when evaluating
 * whether to change state"), so the state rests on the real ones:
 *
 * - at least M real datapoints breach → ALARM;
 * - otherwise, if any real datapoint is not breaching → OK (guide, table 1 row "0 - - - -" and
 *   table 2 rows "0 - X - -", "- - - - 0": OK under both treatments);
 * - otherwise (nothing real, or only breaching datapoints, too few to alarm) the data decides
 *   nothing: `missing` → INSUFFICIENT_DATA ("If all data points in the alarm evaluation range are
 *   missing, the alarm transitions to INSUFFICIENT_DATA"; tables' rows "- - - - -" and
 *   "- - - - X"), `ignore` → the current state is kept ("Retain current state" in the same rows).
 *
 * Returns undefined in the last case.
 */
function decideWithoutFill(real: EvaluatedPeriod[], m: number): AlarmState | undefined {
  const breaching = real.filter((p) => p.breaching === true).length;
  if (breaching >= m) return "ALARM";
  if (real.some((p) => p.breaching === false)) return "OK";
  return undefined;
}

function isBreaching(def: AlarmDefinition, value: number): boolean {
  switch (def.comparisonOperator) {
    case "GreaterThanThreshold":
      return value > def.threshold;
    case "GreaterThanOrEqualToThreshold":
      return value >= def.threshold;
    case "LessThanThreshold":
      return value < def.threshold;
    case "LessThanOrEqualToThreshold":
      return value <= def.threshold;
  }
}

function completePeriods(def: AlarmDefinition, now: number, count: number): PeriodSpan {
  if (!Number.isFinite(now))
    throw new RangeError(`alarm ${def.name}: now must be a finite epoch time in ms, got ${now}`);
  const periodMs = def.periodSeconds * 1000;
  const end = Math.floor(now / periodMs) * periodMs;
  const start = end - count * periodMs;
  const periodStarts = Array.from({ length: count }, (_, i) => start + i * periodMs);
  return { start, end, periodStarts };
}

function checkDefinition(def: AlarmDefinition): void {
  const fail = (what: string) => {
    throw new RangeError(`alarm ${def.name}: ${what}`);
  };
  if (!Number.isFinite(def.periodSeconds) || def.periodSeconds <= 0)
    fail(`periodSeconds must be positive, got ${def.periodSeconds}`);
  if (!Number.isInteger(def.periodSeconds * 1000))
    fail(`periodSeconds must be a whole number of ms, got ${def.periodSeconds}`);
  if (!Number.isInteger(def.evaluationPeriods) || def.evaluationPeriods < 1)
    fail(`evaluationPeriods must be an integer ≥ 1, got ${def.evaluationPeriods}`);
  const m = def.datapointsToAlarm ?? def.evaluationPeriods;
  if (!Number.isInteger(m) || m < 1 || m > def.evaluationPeriods) {
    fail(`datapointsToAlarm must be an integer from 1 to evaluationPeriods (${def.evaluationPeriods}), got ${m}`);
  }
  if (!Number.isFinite(def.threshold)) fail(`threshold must be a finite number, got ${def.threshold}`);
}

// --- Reasons, worded like CloudWatch's StateReason ------------------------------------------------
// e.g. "Threshold Crossed: 1 out of the last 1 datapoints [3.0 (28/11/26 07:41:00)] was greater than
// the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition)."

const comparisonWords: Record<ComparisonOperator, string> = {
  GreaterThanThreshold: "greater than",
  GreaterThanOrEqualToThreshold: "greater than or equal to",
  LessThanThreshold: "less than",
  LessThanOrEqualToThreshold: "less than or equal to",
};

const treatmentLabel: Record<TreatMissingData, string> = {
  breaching: "Breaching",
  notBreaching: "NonBreaching",
  missing: "Missing",
  ignore: "Ignore",
};

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);
const datapoints = (count: number) => `${count} ${plural(count, "datapoint", "datapoints")}`;

/** CloudWatch prints values with at least one decimal: 3 → "3.0", 0.25 → "0.25". */
export function formatAlarmValue(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? value.toFixed(1) : String(value);
}

/** CloudWatch's reason timestamps: dd/MM/yy HH:mm:ss, UTC. */
export function formatAlarmTime(ms: number): string {
  const d = new Date(ms);
  const two = (v: number) => String(v).padStart(2, "0");
  return (
    `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
  );
}

/** Real datapoints of the given kind, newest first, as "[3.0 (28/11/26 07:41:00), …]". */
function valueList(window: EvaluatedPeriod[], breaching: boolean): string {
  const shown = window.filter((p) => p.value !== undefined && p.breaching === breaching).reverse();
  return `[${shown.map((p) => `${formatAlarmValue(p.value as number)} (${formatAlarmTime(p.start)})`).join(", ")}]`;
}

function transition(from: AlarmState, to: AlarmState, minimum: number | undefined): string {
  if (from === to) return "";
  return minimum === undefined
    ? ` (${from} -> ${to} transition)`
    : ` (minimum ${datapoints(minimum)} for ${from} -> ${to} transition)`;
}

function thresholdReason(
  def: AlarmDefinition,
  window: EvaluatedPeriod[],
  state: AlarmState,
  from: AlarmState,
  m: number,
  treatment: TreatMissingData,
): string {
  const n = window.length;
  const toAlarm = state === "ALARM";
  const relation = `${toAlarm ? "" : "not "}${comparisonWords[def.comparisonOperator]} the threshold (${formatAlarmValue(def.threshold)})`;
  const realOfKind = window.filter((p) => p.value !== undefined && p.breaching === toAlarm).length;
  const filledOfKind = window.filter((p) => p.value === undefined && p.breaching === toAlarm).length;
  const filled = window.filter((p) => p.value === undefined && p.breaching !== "missing").length;
  const unconsidered = window.filter((p) => p.breaching === "missing").length;

  const parts: string[] = [];
  if (realOfKind > 0) {
    parts.push(
      `${realOfKind} out of the last ${n} datapoints ${valueList(window, toAlarm)} ${plural(realOfKind, "was", "were")} ${relation}`,
    );
  } else if (filledOfKind > 0) {
    parts.push(`no datapoints were received for ${filledOfKind} ${plural(filledOfKind, "period", "periods")}`);
  }
  if (filled > 0)
    parts.push(
      `${filled} missing ${plural(filled, "datapoint was", "datapoints were")} treated as [${treatmentLabel[treatment]}]`,
    );
  if (unconsidered > 0) {
    parts.push(
      `${unconsidered} missing ${plural(unconsidered, "datapoint was", "datapoints were")} not considered [${treatmentLabel[treatment]}]`,
    );
  }
  // The minimum for ALARM is M breaching; for OK, N − M + 1 not breaching. With datapoints left out
  // (missing / ignore), the outcome rests on fewer than N, so no minimum is claimed.
  const minimum = unconsidered > 0 ? undefined : toAlarm ? m : n - m + 1;
  return `Threshold Crossed: ${parts.join(" and ")}${transition(from, state, minimum)}.`;
}

function undecidedFacts(def: AlarmDefinition, window: EvaluatedPeriod[], m: number): string {
  const breaching = window.filter((p) => p.value !== undefined && p.breaching === true).length;
  const missing = window.filter((p) => p.value === undefined).length;
  const relation = `${comparisonWords[def.comparisonOperator]} the threshold (${formatAlarmValue(def.threshold)})`;
  const seen =
    breaching > 0
      ? `${breaching} out of the last ${window.length} datapoints ${valueList(window, true)} ` +
        `${plural(breaching, "was", "were")} ${relation}, fewer than the ${m} needed to alarm, and `
      : "";
  return `${seen}${missing} ${plural(missing, "datapoint was", "datapoints were")} missing`;
}

function insufficientReason(def: AlarmDefinition, window: EvaluatedPeriod[], m: number, rangePeriods: number): string {
  if (window.every((p) => p.value === undefined)) {
    return `Insufficient Data: no datapoints were received for ${rangePeriods} periods (the evaluation range) and missing data is treated as [Missing].`;
  }
  return `Insufficient Data: ${undecidedFacts(def, window, m)} (treated as [Missing]).`;
}

function keptReason(def: AlarmDefinition, window: EvaluatedPeriod[], kept: AlarmState, m: number): string {
  return `Unchanged: ${undecidedFacts(def, window, m)}; missing data is treated as [Ignore], so the alarm stays ${kept}.`;
}
