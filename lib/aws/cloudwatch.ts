import "server-only";
import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  ListMetricsCommand,
  type MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import type { RecentQueueSeries } from "../domain/dead-letters";
import type { AlarmDescription } from "../domain/topology";
import type { AwsClients } from "./clients";
import { callAws, callAwsPages, type Probe } from "./call";
import { MAX_DATAPOINTS_PER_CALL, MAX_QUERIES_PER_CALL } from "../domain/sla/metric-queries";
import { depthQueries, depthSeriesFrom } from "../domain/sla/counts";

export async function pingCloudWatch(clients: AwsClients): Promise<void> {
  await callAws(clients, "cloudwatch", "DescribeAlarms", () =>
    clients.cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords: 1 })),
  );
}

export const cloudwatchProbes: Record<string, Probe> = {
  DescribeAlarmHistory: (clients) =>
    clients.cloudwatch.send(new DescribeAlarmHistoryCommand({ AlarmName: "fanout-capability-probe", MaxRecords: 1 })),
};

/** One metric series to fetch: namespace, name, dimensions and the statistic. */
export interface MetricQuery {
  id: string;
  namespace: string;
  metricName: string;
  dimensions: { name: string; value: string }[];
  stat: string;
}

export interface MetricPoint {
  at: number;
  value: number;
}

/**
 * Fetches every series over [start, end) at `period`, in as few GetMetricData calls as its limits
 * allow, following NextToken. Points come back oldest first; a series without data is empty.
 * Math is left to the caller: not every endpoint evaluates expressions.
 */
export async function fetchMetricSeries(
  queries: MetricQuery[],
  range: { start: Date; end: Date; period: number },
  clients: AwsClients,
  /** The name the capability registry knows this call by; percentiles are a capability of their own. */
  operation = "GetMetricData",
): Promise<Map<string, MetricPoint[]>> {
  const series = new Map<string, MetricPoint[]>(queries.map((q) => [q.id, []]));
  const pointsPerQuery = Math.max(1, Math.ceil((range.end.getTime() - range.start.getTime()) / 1000 / range.period));
  const perCall = Math.max(1, Math.min(MAX_QUERIES_PER_CALL, Math.floor(MAX_DATAPOINTS_PER_CALL / pointsPerQuery)));
  for (let i = 0; i < queries.length; i += perCall) {
    const chunk = queries.slice(i, i + perCall);
    const metricQueries: MetricDataQuery[] = chunk.map((q) => ({
      Id: q.id,
      MetricStat: {
        Metric: {
          Namespace: q.namespace,
          MetricName: q.metricName,
          Dimensions: q.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
        },
        Period: range.period,
        Stat: q.stat,
      },
    }));
    const results = await callAwsPages(clients, "cloudwatch", operation, {
      request: (nextToken) =>
        clients.cloudwatch.send(
          new GetMetricDataCommand({
            MetricDataQueries: metricQueries,
            StartTime: range.start,
            EndTime: range.end,
            NextToken: nextToken,
            ScanBy: "TimestampAscending",
          }),
        ),
      read: (page) => ({ items: page.MetricDataResults, next: page.NextToken }),
    });
    for (const r of results) {
      const points = (r.Timestamps ?? [])
        .map((t, k) => ({ at: t.getTime(), value: r.Values?.[k] ?? NaN }))
        .filter((p) => Number.isFinite(p.value));
      series.get(r.Id!)?.push(...points);
    }
  }
  for (const points of series.values()) points.sort((a, b) => a.at - b.at);
  return series;
}

/**
 * Recent AWS/SQS series per queue, per minute over [start, end): the Maximum of
 * ApproximateAgeOfOldestMessage and the depth series (depthQueries). A queue without datapoints
 * gets empty series.
 */
export async function recentQueueSeries(
  queueNames: string[],
  range: { start: Date; end: Date },
  clients: AwsClients,
): Promise<Record<string, RecentQueueSeries>> {
  const queries = queueNames.flatMap((name, j): MetricQuery[] => [
    {
      id: `age${j}`,
      namespace: "AWS/SQS",
      metricName: "ApproximateAgeOfOldestMessage",
      dimensions: [{ name: "QueueName", value: name }],
      stat: "Maximum",
    },
    ...depthQueries(name, `d${j}`),
  ]);
  const series = await fetchMetricSeries(queries, { ...range, period: 60 }, clients);
  return Object.fromEntries(
    queueNames.map((name, j) => [name, { age: series.get(`age${j}`) ?? [], ...depthSeriesFrom(`d${j}`, series) }]),
  );
}

/** A metric alarm with its state, as the topology and the SLA cards use it. */
export type AlarmSummary = AlarmDescription;

/** Every metric alarm with its state (DescribeAlarms, 100 a page). */
export async function describeMetricAlarms(clients: AwsClients): Promise<AlarmSummary[]> {
  const alarms = await callAwsPages(clients, "cloudwatch", "DescribeAlarms", {
    request: (nextToken) =>
      clients.cloudwatch.send(
        new DescribeAlarmsCommand({ AlarmTypes: ["MetricAlarm"], MaxRecords: 100, NextToken: nextToken }),
      ),
    read: (page) => ({ items: page.MetricAlarms, next: page.NextToken }),
  });
  return alarms.map((a) => ({
    name: a.AlarmName ?? "",
    arn: a.AlarmArn ?? "",
    state: (a.StateValue ?? "INSUFFICIENT_DATA") as AlarmSummary["state"],
    ...(a.Namespace ? { namespace: a.Namespace } : {}),
    ...(a.MetricName ? { metricName: a.MetricName } : {}),
    dimensions: (a.Dimensions ?? []).map((d) => ({ name: d.Name ?? "", value: d.Value ?? "" })),
    ...(a.StateReason ? { reason: a.StateReason } : {}),
    ...(a.StateUpdatedTimestamp ? { updatedAt: a.StateUpdatedTimestamp.toISOString() } : {}),
  }));
}

/**
 * Names of the resources that published a metric recently, following NextToken: the last three
 * hours with `recentlyActive` (the only shorter window ListMetrics offers), else the last two weeks
 * (all ListMetrics keeps). Resources the SLA covers even when the topology does not show them.
 */
export async function recentlyActiveResources(
  namespace: string,
  metricName: string,
  dimension: string,
  recentlyActive: boolean,
  clients: AwsClients,
): Promise<string[]> {
  const metrics = await callAwsPages(clients, "cloudwatch", "ListMetrics", {
    request: (nextToken) =>
      clients.cloudwatch.send(
        new ListMetricsCommand({
          Namespace: namespace,
          MetricName: metricName,
          ...(recentlyActive ? { RecentlyActive: "PT3H" as const } : {}),
          NextToken: nextToken,
        }),
      ),
    read: (page) => ({ items: page.Metrics, next: page.NextToken }),
  });
  const names = new Set<string>();
  for (const m of metrics) {
    const value = m.Dimensions?.find((d) => d.Name === dimension)?.Value;
    if (value && m.Dimensions?.length === 1) names.add(value);
  }
  return [...names].sort();
}
