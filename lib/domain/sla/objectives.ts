/**
 * The console's service level objectives and their configuration from environment-style strings.
 * The domain never reads the environment: lib/env.ts passes the strings in.
 */

/** The SLO window. 30 days matches the monthly period of the AWS service commitments. */
export const SLO_WINDOW_DAYS = 30;

export interface Objectives {
  /** Fractions in (0, 1), e.g. 0.999. */
  sns: number;
  sqs: number;
  lambda: number;
  endToEnd: number;
  latency: { lambdaP99Ms: number; queueAgeSeconds: number };
}

const SNS_DEFAULT = 0.999;
const SQS_DEFAULT = 0.999;
const LAMBDA_DEFAULT = 0.9995;

/**
 * Seeded from the AWS SLAs (monthly service commitments): SNS 99.9 %, SQS 99.9 %, Lambda 99.95 %;
 * end to end = their product (≈ 0.99750), since a message needs all three to get through.
 * These are our objectives seeded from the SLAs, not the SLAs themselves: an SLA is a credit
 * promise measured AWS's way, not a measure of this pipeline.
 */
export const defaultObjectives: Objectives = {
  sns: SNS_DEFAULT,
  sqs: SQS_DEFAULT,
  lambda: LAMBDA_DEFAULT,
  endToEnd: SNS_DEFAULT * SQS_DEFAULT * LAMBDA_DEFAULT,
  latency: { lambdaP99Ms: 5000, queueAgeSeconds: 300 },
};

export type ObjectiveKey = "sns" | "sqs" | "lambda" | "endToEnd" | "lambdaP99Ms" | "queueAgeSeconds";
export type ObjectivesInput = Partial<Record<ObjectiveKey, string>>;

/** The environment variable each input comes from, used to name it in issues. */
export const objectiveVariables: Record<ObjectiveKey, string> = {
  sns: "FANOUT_SLO_SNS",
  sqs: "FANOUT_SLO_SQS",
  lambda: "FANOUT_SLO_LAMBDA",
  endToEnd: "FANOUT_SLO_END_TO_END",
  lambdaP99Ms: "FANOUT_SLO_LAMBDA_P99_MS",
  queueAgeSeconds: "FANOUT_SLO_QUEUE_AGE_SECONDS",
};

export interface ObjectiveIssue {
  variable: string;
  problem: string;
}

export type ParseObjectivesResult = { ok: true; objectives: Objectives } | { ok: false; issues: ObjectiveIssue[] };

// Plain decimals only: Number() would also accept "0x10", "1e2", "Infinity".
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

type Parsed = { value: number } | { problem: string } | undefined;

/** Percent text ("99.9", also "99.9 %") → fraction (0.999). */
function parsePercent(raw: string | undefined): Parsed {
  const text = raw?.trim().replace(/\s*%$/, "");
  if (text === undefined || text === "") return undefined; // unset, as lib/env.ts treats empty
  if (!DECIMAL.test(text)) return { problem: `"${raw}" is not a number; give a percent such as 99.9` };
  const percent = Number(text);
  if (!(percent > 0 && percent < 100)) {
    return { problem: `${percent} is outside (0, 100): an objective is a percent strictly between 0 and 100` };
  }
  // Shifting the exponent in the text gives the correctly rounded fraction: "99.9" → 0.999 exactly,
  // where 99.9 / 100 would give 0.9990000000000001.
  return { value: Number(`${text}e-2`) };
}

function parsePositive(raw: string | undefined, unit: string): Parsed {
  const text = raw?.trim();
  if (text === undefined || text === "") return undefined;
  if (!DECIMAL.test(text)) return { problem: `"${raw}" is not a number of ${unit}` };
  const value = Number(text);
  if (!(value > 0)) return { problem: `${value} is not positive: give a number of ${unit} above 0` };
  return { value };
}

/**
 * Objectives from strings like the env vars FANOUT_SLO_SNS="99.9" (percent for availability
 * objectives, milliseconds / seconds for latency). Unset or empty entries keep the defaults; when
 * end to end is not given it is the product of the (possibly overridden) three.
 */
export function parseObjectives(input: ObjectivesInput): ParseObjectivesResult {
  const issues: ObjectiveIssue[] = [];
  const take = (key: ObjectiveKey, parsed: Parsed, fallback: number): number => {
    if (parsed === undefined) return fallback;
    if ("problem" in parsed) {
      issues.push({ variable: objectiveVariables[key], problem: parsed.problem });
      return fallback;
    }
    return parsed.value;
  };

  const sns = take("sns", parsePercent(input.sns), defaultObjectives.sns);
  const sqs = take("sqs", parsePercent(input.sqs), defaultObjectives.sqs);
  const lambda = take("lambda", parsePercent(input.lambda), defaultObjectives.lambda);
  const endToEnd = take("endToEnd", parsePercent(input.endToEnd), sns * sqs * lambda);
  const lambdaP99Ms = take(
    "lambdaP99Ms",
    parsePositive(input.lambdaP99Ms, "milliseconds"),
    defaultObjectives.latency.lambdaP99Ms,
  );
  const queueAgeSeconds = take(
    "queueAgeSeconds",
    parsePositive(input.queueAgeSeconds, "seconds"),
    defaultObjectives.latency.queueAgeSeconds,
  );

  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, objectives: { sns, sqs, lambda, endToEnd, latency: { lambdaP99Ms, queueAgeSeconds } } };
}
