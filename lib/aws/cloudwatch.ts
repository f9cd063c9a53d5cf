import "server-only";
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricDataCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import type { QueueMetrics } from "../domain/dead-letters";
import { getClients, type AwsClients } from "./clients";
import { callAws, type Probe } from "./call";

export async function pingCloudWatch(clients: AwsClients): Promise<void> {
  await callAws("cloudwatch", "DescribeAlarms", () => clients.cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords: 1 })));
}

export const cloudwatchProbes: Record<string, Probe> = {
  DescribeAlarmHistory: (clients) =>
    clients.cloudwatch.send(new DescribeAlarmHistoryCommand({ AlarmName: "fanout-capability-probe", MaxRecords: 1 })),
};

/**
 * Recent AWS/SQS figures per queue: the latest ApproximateAgeOfOldestMessage and how
 * ApproximateNumberOfMessagesVisible changed over the window (both Maximum per minute). A queue
 * without datapoints gets nothing: no data is shown as such, never as zero.
 */
export async function recentQueueMetrics(queueNames: string[], windowMinutes = 15, clients: AwsClients = getClients()): Promise<Record<string, QueueMetrics>> {
  const result: Record<string, QueueMetrics> = {};
  const end = new Date();
  const start = new Date(end.getTime() - windowMinutes * 60_000);
  const query = (id: string, metric: string, queue: string): MetricDataQuery => ({
    Id: id,
    MetricStat: { Metric: { Namespace: "AWS/SQS", MetricName: metric, Dimensions: [{ Name: "QueueName", Value: queue }] }, Period: 60, Stat: "Maximum" },
  });
  // GetMetricData takes up to 500 queries: two per queue.
  for (let i = 0; i < queueNames.length; i += 250) {
    const names = queueNames.slice(i, i + 250);
    const queries = names.flatMap((name, j) => [query(`age${j}`, "ApproximateAgeOfOldestMessage", name), query(`visible${j}`, "ApproximateNumberOfMessagesVisible", name)]);
    let nextToken: string | undefined;
    const series = new Map<string, Array<{ at: number; value: number }>>();
    do {
      const page = await callAws("cloudwatch", "GetMetricData", () =>
        clients.cloudwatch.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: end, NextToken: nextToken })),
      );
      for (const r of page.MetricDataResults ?? []) {
        const points = (r.Timestamps ?? []).map((t, k) => ({ at: t.getTime(), value: r.Values?.[k] ?? NaN })).filter((p) => Number.isFinite(p.value));
        series.set(r.Id!, [...(series.get(r.Id!) ?? []), ...points]);
      }
      nextToken = page.NextToken;
    } while (nextToken);
    names.forEach((name, j) => {
      const age = (series.get(`age${j}`) ?? []).sort((a, b) => a.at - b.at);
      const visible = (series.get(`visible${j}`) ?? []).sort((a, b) => a.at - b.at);
      const metrics: QueueMetrics = {};
      if (age.length) metrics.oldestAgeSeconds = age.at(-1)!.value;
      if (visible.length >= 2) {
        metrics.growth = visible.at(-1)!.value - visible[0]!.value;
        metrics.growthWindowMinutes = Math.round((visible.at(-1)!.at - visible[0]!.at) / 60_000);
      }
      result[name] = metrics;
    });
  }
  return result;
}

export interface AlarmSummary {
  name: string;
  arn: string;
  state: "OK" | "ALARM" | "INSUFFICIENT_DATA";
  namespace?: string;
  metricName?: string;
  dimensions: { name: string; value: string }[];
  reason?: string;
}

/** Every metric alarm with its state (DescribeAlarms, 100 a page). */
export async function describeMetricAlarms(clients: AwsClients = getClients()): Promise<AlarmSummary[]> {
  const alarms: AlarmSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAws("cloudwatch", "DescribeAlarms", () => clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmTypes: ["MetricAlarm"], MaxRecords: 100, NextToken: nextToken })));
    for (const a of page.MetricAlarms ?? []) {
      alarms.push({
        name: a.AlarmName ?? "",
        arn: a.AlarmArn ?? "",
        state: (a.StateValue ?? "INSUFFICIENT_DATA") as AlarmSummary["state"],
        ...(a.Namespace ? { namespace: a.Namespace } : {}),
        ...(a.MetricName ? { metricName: a.MetricName } : {}),
        dimensions: (a.Dimensions ?? []).map((d) => ({ name: d.Name ?? "", value: d.Value ?? "" })),
        ...(a.StateReason ? { reason: a.StateReason } : {}),
      });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return alarms;
}

/** What a resource's 5-minute throughput is measured by: namespace, metric, dimension. */
export interface ThroughputSeries {
  key: string;
  namespace: "AWS/SNS" | "AWS/SQS" | "AWS/Lambda";
  metricName: string;
  dimension: { name: string; value: string };
}

/**
 * The Sum of each series over the last 5 minutes (GetMetricData, 500 queries a call). A series
 * without datapoints is left out: no data is not zero.
 */
export async function recentThroughput(series: ThroughputSeries[], clients: AwsClients = getClients()): Promise<Record<string, number>> {
  const end = new Date();
  const start = new Date(end.getTime() - 5 * 60_000);
  const totals: Record<string, number> = {};
  for (let i = 0; i < series.length; i += 500) {
    const chunk = series.slice(i, i + 500);
    const queries: MetricDataQuery[] = chunk.map((s, j) => ({
      Id: `t${j}`,
      MetricStat: { Metric: { Namespace: s.namespace, MetricName: s.metricName, Dimensions: [{ Name: s.dimension.name, Value: s.dimension.value }] }, Period: 300, Stat: "Sum" },
    }));
    let nextToken: string | undefined;
    do {
      const page = await callAws("cloudwatch", "GetMetricData", () => clients.cloudwatch.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: end, NextToken: nextToken })));
      for (const r of page.MetricDataResults ?? []) {
        const values = (r.Values ?? []).filter((v) => Number.isFinite(v));
        if (!values.length) continue;
        const key = chunk[Number(r.Id!.slice(1))]!.key;
        totals[key] = (totals[key] ?? 0) + values.reduce((a, b) => a + b, 0);
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return totals;
}
