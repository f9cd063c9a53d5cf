import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
  type Dimension,
  type MetricDatum,
  type Statistic,
} from "@aws-sdk/client-cloudwatch";

/**
 * The project's moto (infra/local/emulator/moto_server.py) answers GetMetricData and GetMetricStatistics from
 * an index by metric and time. These tests compute every statistic from the datapoints put and
 * compare: they pass on moto's own storage too (FANOUT_LOCAL_CLOUDWATCH_INDEX=off), so the index
 * keeps the answers the console relies on. Values are multiples of 1/4, so sums are exact in any order.
 */

// The SDK gzips PutMetricData bodies over 10 KB, which moto 5.2.3 fails to decompress.
const cloudwatch = new CloudWatchClient({
  endpoint: process.env.AWS_ENDPOINT_URL,
  region: "us-east-1",
  disableRequestCompression: true,
});
const namespace = `Test/${randomUUID().slice(0, 8)}`;
const HOUR = 3_600_000;
/** Three hours ago on the hour: start times that AWS and moto both take as given. */
const base = Math.floor((Date.now() - 3 * HOUR) / HOUR) * HOUR;
const at = (seconds: number) => new Date(base + seconds * 1000);

/** One datapoint as CloudWatch sees it: a statistic set at a time. */
interface Point {
  metric: string;
  dimensions: Dimension[];
  at: number;
  sum: number;
  count: number;
  min: number;
  max: number;
}

const queueA = [{ Name: "QueueName", Value: "orders" }];
const queueB = [{ Name: "QueueName", Value: "refunds" }];
const twoDimensions = [
  { Name: "FunctionName", Value: "charge" },
  { Name: "Resource", Value: "charge:live" },
];
const series: Array<{ metric: string; dimensions: Dimension[] }> = [
  { metric: "Sent", dimensions: queueA },
  { metric: "Sent", dimensions: queueB },
  { metric: "Age", dimensions: queueA },
  { metric: "Duration", dimensions: twoDimensions },
];

/** A datum of each kind PutMetricData takes: Value, Values with Counts, StatisticValues. */
function datumAt(
  i: number,
  metric: string,
  dimensions: Dimension[],
  seconds: number,
): { datum: MetricDatum; points: Point[] } {
  const common = { MetricName: metric, Dimensions: dimensions, Timestamp: at(seconds), Unit: "Count" as const };
  const point = (sum: number, count: number, min: number, max: number): Point => ({
    metric,
    dimensions,
    at: base + seconds * 1000,
    sum,
    count,
    min,
    max,
  });
  switch (i % 3) {
    case 0: {
      const value = ((i * 7) % 23) - 3.25;
      return { datum: { ...common, Value: value }, points: [point(value, 1, value, value)] };
    }
    case 1: {
      const values = [(i % 5) + 0.5, (i % 11) * 0.25];
      const counts = [1 + (i % 3), 2];
      return {
        datum: { ...common, Values: values, Counts: counts },
        points: values.map((v, k) => point(v * counts[k]!, counts[k]!, v, v)),
      };
    }
    default: {
      const min = i % 4;
      const max = min + (i % 9) + 0.75;
      const count = 2 + (i % 5);
      const sum = min + max + (count - 2) * (min + 0.5);
      return {
        datum: { ...common, StatisticValues: { Minimum: min, Maximum: max, SampleCount: count, Sum: sum } },
        points: [point(sum, count, min, max)],
      };
    }
  }
}

const put: Point[] = [];

beforeAll(async () => {
  const data: Array<{ datum: MetricDatum; points: Point[] }> = [];
  series.forEach(({ metric, dimensions }, s) => {
    // Two hours, a datapoint every 90 s or so, and several at the same second; the first on the hour.
    for (let i = 0; i < 80; i++) data.push(datumAt(i + s, metric, dimensions, i === 0 ? 0 : (i * 89 + s * 13) % 7200));
  });
  // A metric without dimensions, in the same namespace.
  for (let i = 0; i < 20; i++) data.push(datumAt(i, "Total", [], i * 300 + 30));
  // Out of order: a fixed permutation (7919 is prime, so k → 7919·k mod n visits every index once).
  const shuffled = data.map((_, k) => data[(k * 7919) % data.length]!);
  expect(new Set(shuffled).size).toBe(data.length);
  for (let i = 0; i < shuffled.length; i += 20) {
    await cloudwatch.send(
      new PutMetricDataCommand({ Namespace: namespace, MetricData: shuffled.slice(i, i + 20).map((d) => d.datum) }),
    );
  }
  put.push(...shuffled.flatMap((d) => d.points));
});

const sameDimensions = (a: Dimension[], b: Dimension[]) =>
  a.length === b.length && a.every((d) => b.some((e) => e.Name === d.Name && e.Value === d.Value));

/** The statistic per period over [start, end), periods from start, only those with data (as CloudWatch returns them). */
function expected(
  metric: string,
  dimensions: Dimension[],
  stat: Statistic,
  start: number,
  end: number,
  periodSeconds: number,
) {
  const buckets = new Map<number, { sum: number; count: number; min: number; max: number }>();
  for (const p of put) {
    if (p.metric !== metric || !sameDimensions(p.dimensions, dimensions) || p.at < start || p.at >= end) continue;
    const k = Math.floor((p.at - start) / (periodSeconds * 1000));
    const b = buckets.get(k);
    if (!b) buckets.set(k, { sum: p.sum, count: p.count, min: p.min, max: p.max });
    else
      buckets.set(k, {
        sum: b.sum + p.sum,
        count: b.count + p.count,
        min: Math.min(b.min, p.min),
        max: Math.max(b.max, p.max),
      });
  }
  const value = (b: { sum: number; count: number; min: number; max: number }) =>
    ({ Sum: b.sum, Average: b.sum / b.count, Minimum: b.min, Maximum: b.max, SampleCount: b.count })[stat];
  return [...buckets.keys()]
    .sort((a, b) => a - b)
    .map((k) => ({ at: start + k * periodSeconds * 1000, value: value(buckets.get(k)!) }));
}

const statistics: Statistic[] = ["Sum", "Average", "Minimum", "Maximum", "SampleCount"];

describe("CloudWatch on the project's moto", () => {
  it("answers GetMetricData with the statistics of the datapoints put, for every metric, dimension set, period and statistic", async () => {
    const windows = [
      { start: base, end: base + 2 * HOUR, period: 60 },
      { start: base, end: base + 2 * HOUR, period: 300 },
      { start: base + HOUR / 2, end: base + HOUR + 15 * 60_000, period: 900 },
      { start: base - HOUR, end: base + 3 * HOUR, period: 3600 },
    ];
    for (const w of windows) {
      const queries = series.flatMap((s, i) =>
        statistics.map((stat, j) => ({
          Id: `q${i}_${j}`,
          MetricStat: {
            Metric: { Namespace: namespace, MetricName: s.metric, Dimensions: s.dimensions },
            Period: w.period,
            Stat: stat,
          },
        })),
      );
      const answer = await cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: new Date(w.start),
          EndTime: new Date(w.end),
          ScanBy: "TimestampAscending",
        }),
      );
      series.forEach((s, i) =>
        statistics.forEach((stat, j) => {
          const result = answer.MetricDataResults?.find((r) => r.Id === `q${i}_${j}`);
          const got = (result?.Timestamps ?? []).map((t, k) => ({ at: t.getTime(), value: result!.Values![k] }));
          const want = expected(s.metric, s.dimensions, stat, w.start, w.end, w.period);
          expect(want.length, `${s.metric} ${JSON.stringify(s.dimensions)} has data in the window`).toBeGreaterThan(0);
          expect(got, `${s.metric} ${JSON.stringify(s.dimensions)} ${stat} over ${w.period} s`).toEqual(want);
        }),
      );
    }
  });

  it("returns the newest period first with ScanBy TimestampDescending", async () => {
    const answer = await cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          {
            Id: "sent",
            MetricStat: {
              Metric: { Namespace: namespace, MetricName: "Sent", Dimensions: queueB },
              Period: 600,
              Stat: "Sum",
            },
          },
        ],
        StartTime: new Date(base),
        EndTime: new Date(base + 2 * HOUR),
        ScanBy: "TimestampDescending",
      }),
    );
    const result = answer.MetricDataResults![0]!;
    const want = expected("Sent", queueB, "Sum", base, base + 2 * HOUR, 600).reverse();
    expect(result.Timestamps!.map((t, k) => ({ at: t.getTime(), value: result.Values![k] }))).toEqual(want);
  });

  it("answers GetMetricStatistics with every statistic of each period", async () => {
    const answer = await cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: namespace,
        MetricName: "Age",
        Dimensions: queueA,
        StartTime: new Date(base),
        EndTime: new Date(base + 2 * HOUR),
        Period: 300,
        Statistics: statistics,
      }),
    );
    const got = [...(answer.Datapoints ?? [])].sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime());
    const want = statistics.map((stat) => expected("Age", queueA, stat, base, base + 2 * HOUR, 300));
    expect(got.map((d) => d.Timestamp!.getTime())).toEqual(want[0]!.map((p) => p.at));
    statistics.forEach((stat, j) =>
      expect(
        got.map((d) => d[stat]),
        stat,
      ).toEqual(want[j]!.map((p) => p.value)),
    );
  });

  it("lists every metric put", async () => {
    const listed = await cloudwatch.send(new ListMetricsCommand({ Namespace: namespace }));
    const names = new Set(
      (listed.Metrics ?? []).map(
        (m) =>
          `${m.MetricName} ${JSON.stringify([...(m.Dimensions ?? [])].sort((a, b) => a.Name!.localeCompare(b.Name!)))}`,
      ),
    );
    const want = new Set(
      [...series, { metric: "Total", dimensions: [] }].map(
        (s) => `${s.metric} ${JSON.stringify([...s.dimensions].sort((a, b) => a.Name!.localeCompare(b.Name!)))}`,
      ),
    );
    expect(names).toEqual(want);
  });
});

// moto's own storage gets these wrong; the index follows AWS.
describe("CloudWatch on the project's moto, where it differs from moto's own", () => {
  it("lists a metric without dimensions once, however many datapoints it has", async () => {
    // AWS: ListMetrics returns each metric (namespace, name, dimensions) once (CloudWatch API Reference, ListMetrics).
    const listed = await cloudwatch.send(new ListMetricsCommand({ Namespace: namespace, MetricName: "Total" }));
    expect(listed.Metrics).toHaveLength(1);
  });

  it("matches the namespace of a query with dimensions", async () => {
    // Metrics in different namespaces are isolated from each other (CloudWatch User Guide, "CloudWatch concepts", Namespaces).
    const other = `${namespace}-other`;
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: other,
        MetricData: [{ MetricName: "Sent", Dimensions: queueA, Timestamp: at(60), Value: 1000 }],
      }),
    );
    const answer = await cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          {
            Id: "sent",
            MetricStat: {
              Metric: { Namespace: other, MetricName: "Sent", Dimensions: queueA },
              Period: 3600,
              Stat: "Sum",
            },
          },
        ],
        StartTime: new Date(base),
        EndTime: new Date(base + HOUR),
      }),
    );
    expect(answer.MetricDataResults![0]!.Values).toEqual([1000]);
  });
});
