import {
  DescribeAlarmsCommand,
  GetMetricStatisticsCommand,
  SetAlarmStateCommand,
  type CloudWatchClient,
  type MetricAlarm,
  type Statistic,
} from "@aws-sdk/client-cloudwatch";
import {
  evaluateAlarm,
  evaluationRange,
  type AlarmDefinition,
  type AlarmState,
  type TreatMissingData,
} from "./alarm-evaluation";

/**
 * The alarm evaluator of the local run. moto stores alarms but never evaluates them; this does,
 * periodically, as CloudWatch would (alarm-evaluation.ts), and records each change with
 * SetAlarmState so that every client, the console included, reads the state from CloudWatch.
 *
 * Evaluated: metric alarms on one metric with a standard statistic. Left as they are, with a
 * note in the log: math-expression alarms and extended statistics (percentiles), which the
 * emulator cannot compute.
 */

function definitionOf(alarm: MetricAlarm): AlarmDefinition | undefined {
  if (
    !alarm.AlarmName ||
    !alarm.MetricName ||
    !alarm.Namespace ||
    !alarm.Statistic ||
    !alarm.Period ||
    !alarm.EvaluationPeriods
  )
    return undefined;
  if (
    alarm.Threshold === undefined ||
    !alarm.ComparisonOperator?.endsWith("Threshold") ||
    alarm.ComparisonOperator.includes("LowerOrGreater")
  )
    return undefined;
  return {
    name: alarm.AlarmName,
    periodSeconds: alarm.Period,
    evaluationPeriods: alarm.EvaluationPeriods,
    datapointsToAlarm: alarm.DatapointsToAlarm,
    threshold: alarm.Threshold,
    comparisonOperator: alarm.ComparisonOperator as AlarmDefinition["comparisonOperator"],
    treatMissingData: (alarm.TreatMissingData as TreatMissingData | undefined) ?? "missing",
  };
}

/** Evaluates every alarm once and sets the state of those whose state changed; returns the changes. */
export async function evaluateAlarmsOnce(
  cloudwatch: CloudWatchClient,
  now = Date.now(),
  log: (line: string) => void = () => {},
) {
  const changes: Array<{ name: string; from: AlarmState; to: AlarmState; reason: string }> = [];
  let nextToken: string | undefined;
  do {
    const page = await cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmTypes: ["MetricAlarm"], NextToken: nextToken }),
    );
    for (const alarm of page.MetricAlarms ?? []) {
      const definition = definitionOf(alarm);
      if (!definition) {
        log(`alarm ${alarm.AlarmName}: not evaluated locally (math expression, extended statistic or anomaly band)`);
        continue;
      }
      const range = evaluationRange(definition, now);
      const stats = await cloudwatch.send(
        new GetMetricStatisticsCommand({
          Namespace: alarm.Namespace,
          MetricName: alarm.MetricName,
          Dimensions: alarm.Dimensions,
          StartTime: new Date(range.start),
          EndTime: new Date(range.end),
          Period: alarm.Period,
          Statistics: [alarm.Statistic as Statistic],
          ...(alarm.Unit ? { Unit: alarm.Unit } : {}),
        }),
      );
      const datapoints = (stats.Datapoints ?? []).flatMap((d) => {
        const value = d[alarm.Statistic as Statistic];
        return d.Timestamp && value !== undefined ? [{ timestamp: d.Timestamp.getTime(), value }] : [];
      });
      const current = (alarm.StateValue as AlarmState | undefined) ?? "INSUFFICIENT_DATA";
      const result = evaluateAlarm(definition, datapoints, current, now);
      if (result.state !== current) {
        await cloudwatch.send(
          new SetAlarmStateCommand({
            AlarmName: definition.name,
            StateValue: result.state,
            StateReason: result.reason.slice(0, 1023),
          }),
        );
        changes.push({ name: definition.name, from: current, to: result.state, reason: result.reason });
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return changes;
}

export function startAlarmEvaluator(options: {
  cloudwatch: CloudWatchClient;
  intervalMs?: number;
  log?: (line: string) => void;
  onError?: (err: unknown) => void;
}) {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () =>
    (running = running
      .then(() => evaluateAlarmsOnce(options.cloudwatch, Date.now(), options.log))
      .then((changes) => {
        for (const c of changes) options.log?.(`alarm ${c.name}: ${c.from} → ${c.to}`);
      })
      .catch((err: unknown) => options.onError?.(err)));
  const timer = setInterval(() => void tick(), options.intervalMs ?? 15_000);
  return {
    evaluateNow: async () => {
      await tick();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
