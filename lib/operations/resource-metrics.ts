import "server-only";
import { AppError } from "../domain/app-error";
import {
  depthQueries,
  depthSamples,
  depthSeriesFrom,
  dlqInflowSeries,
  fullBucketValue,
  NAMESPACE_OF,
  percentile,
  periodFor,
  RESOURCE_DIMENSION,
  wholePeriodRange,
  type DepthSeries,
  type Removal,
} from "../domain/sla";
import { knownCapability, rememberCapability } from "../aws/call";
import { fetchMetricSeries, type MetricPoint, type MetricQuery } from "../aws/cloudwatch";
import { deadLetterQueueOf, nodeResource } from "../domain/topology";
import { getStore, listDlqRemovals } from "../store";
import { scopeOfContext, type OperationContext } from "./context";
import { getTopology } from "./topology";
import { arnsByName, requireRoleOn } from "./resource-access";
import { durationsByService } from "./traces";
import { windowSecondsOf, type SlaWindow } from "../domain/sla";

/**
 * The CloudWatch series behind one resource's service level, for its charts: throughput, errors
 * and throttles, durations, queue depth and age, its DLQ's depth, SNS delivered / failed /
 * filtered out. Duration percentiles come from CloudWatch where the endpoint computes them,
 * else from the invocation durations in the newest X-Ray traces, labelled as such, else not at all.
 */

export type ResourceKind = "topic" | "queue" | "function";

export interface ChartSeries {
  id: string;
  label: string;
  points: MetricPoint[];
}

export interface ResourceChart {
  id: string;
  title: string;
  unit: "count" | "ms" | "seconds" | "messages";
  series: ChartSeries[];
  /** Where the figures come from when it is not plain CloudWatch, or why they are missing. */
  note?: string;
}

export interface ResourceMetrics {
  kind: ResourceKind;
  name: string;
  nodeId?: string;
  window: SlaWindow;
  period: number;
  charts: ResourceChart[];
  collectedAt: string;
}

type Spec = {
  chart: string;
  title: string;
  unit: ResourceChart["unit"];
  namespace: string;
  metric: string;
  stat: string;
  label: string;
};

/** What "in flight" is on a dead-letter queue: nothing consumes it, so a lease by the console. */
const LEASED = "in flight (leased by a console view or a redrive job)";

/** A series of a chart: the metric and its label. */
type SeriesRow = [metric: string, label: string];

/** One chart's specs: its series, all of one namespace and statistic. */
function chartSpecs(chart: Omit<Spec, "metric" | "label">, metrics: SeriesRow[]): Spec[] {
  return metrics.map(([metric, label]) => ({ ...chart, metric, label }));
}

function specsFor(kind: ResourceKind, isDlq: boolean): Spec[] {
  if (kind === "topic") {
    return chartSpecs({ chart: "delivery", title: "Notifications", unit: "count", namespace: "AWS/SNS", stat: "Sum" }, [
      ["NumberOfMessagesPublished", "published"],
      ["NumberOfNotificationsDelivered", "delivered"],
      ["NumberOfNotificationsFailed", "failed"],
      ["NumberOfNotificationsFilteredOut", "filtered out"],
    ]);
  }
  if (kind === "function") {
    return [
      ...chartSpecs(
        {
          namespace: "AWS/Lambda",
          chart: "invocations",
          title: "Invocations, errors and throttles",
          unit: "count",
          stat: "Sum",
        },
        [
          ["Invocations", "invocations"],
          ["Errors", "errors"],
          ["Throttles", "throttles"],
        ],
      ),
      ...chartSpecs({ namespace: "AWS/Lambda", chart: "duration", title: "Duration", unit: "ms", stat: "Average" }, [
        ["Duration", "average"],
      ]),
    ];
  }
  return [
    ...chartSpecs({ namespace: "AWS/SQS", chart: "throughput", title: "Messages", unit: "count", stat: "Sum" }, [
      ["NumberOfMessagesSent", "sent"],
      ["NumberOfMessagesReceived", "received"],
      ["NumberOfMessagesDeleted", "deleted (processed)"],
    ]),
    ...chartSpecs({ namespace: "AWS/SQS", chart: "depth", title: "Depth", unit: "messages", stat: "Maximum" }, [
      ["ApproximateNumberOfMessagesVisible", "visible"],
      ["ApproximateNumberOfMessagesNotVisible", isDlq ? LEASED : "in flight"],
    ]),
    ...chartSpecs(
      { namespace: "AWS/SQS", chart: "age", title: "Age of the oldest message", unit: "seconds", stat: "Maximum" },
      [["ApproximateAgeOfOldestMessage", "oldest"]],
    ),
  ];
}

const PERCENTILES = "GetMetricData.Percentiles";

/**
 * Duration percentiles of functions from CloudWatch, or undefined where the endpoint computes
 * none. The first real call is the probe: an endpoint may accept a percentile until there are
 * datapoints to compute it from (moto then fails the whole call). A call of its own, so the other
 * series never fail with it; a rejection is remembered and sampled traces answer from then on.
 */
async function cloudWatchPercentiles(
  ctx: OperationContext,
  functions: string[],
  labels: readonly string[],
  range: { start: Date; end: Date; period: number },
) {
  if (knownCapability(ctx.aws.key, "cloudwatch", PERCENTILES) === "not_supported" || functions.length === 0)
    return undefined;
  const queries: MetricQuery[] = functions.flatMap((name, f) =>
    labels.map((p) => ({
      id: `f${f}_${p}`,
      namespace: "AWS/Lambda",
      metricName: "Duration",
      dimensions: [{ name: RESOURCE_DIMENSION["AWS/Lambda"], value: name }],
      stat: p,
    })),
  );
  try {
    const fetched = await fetchMetricSeries(queries, range, ctx.aws.clients, PERCENTILES);
    return (f: number, p: string) => fetched.get(`f${f}_${p}`) ?? [];
  } catch (err) {
    if (!(err instanceof AppError) || (err.code !== "not_supported_by_endpoint" && err.code !== "upstream_unavailable"))
      throw err;
    rememberCapability(ctx.aws.key, "cloudwatch", PERCENTILES, "not_supported");
    return undefined;
  }
}

const tracesNote = (n: number, read: number) =>
  `from ${n} traced invocation${n === 1 ? "" : "s"} in the newest ${read} X-Ray ` +
  `trace${read === 1 ? "" : "s"} of the window (the endpoint computes no percentiles)`;

/** Duration p50/p90/p99 of one function: CloudWatch when the endpoint computes percentiles, else sampled traces, else none. */
async function durationPercentiles(
  ctx: OperationContext,
  name: string,
  range: { start: Date; end: Date; period: number },
): Promise<Pick<ResourceChart, "series" | "note">> {
  const labels = ["p50", "p90", "p99"] as const;
  const fromCloudWatch = await cloudWatchPercentiles(ctx, [name], labels, range);
  if (fromCloudWatch) return { series: labels.map((p) => ({ id: p, label: p, points: fromCloudWatch(0, p) })) };
  const fromTraces = await durationsByService(ctx, range).catch(() => undefined);
  const durations = fromTraces?.byService.get(name);
  if (!fromTraces || !durations?.length)
    return {
      series: [],
      note:
        `This endpoint computes no percentiles, and ` +
        `${fromTraces ? `none of the newest ${fromTraces.traces} traces of the window passed through the function` : "X-Ray could not be read"}.`,
    };
  // One point for the whole window: traces are too few to cut into periods.
  const sampled = fromTraces.transactionSearch
    ? "; under Transaction Search these are X-Ray's indexed sample of the traces, 1 % of spans by default"
    : "";
  const note = `${tracesNote(durations.length, fromTraces.traces)}${sampled}`;
  return {
    series: labels.map((p) => ({
      id: p,
      label: p,
      points: [{ at: range.end.getTime(), value: percentile(durations, Number(p.slice(1)))! }],
    })),
    note: `${note[0]!.toUpperCase()}${note.slice(1)}.`,
  };
}

export interface FunctionP99 {
  resource: string;
  value: number | null;
  /** Where the figure comes from, or why there is none. */
  source: string;
}

/** Each function's duration p99 over a whole window, for its latency objective. */
export async function functionsP99(
  ctx: OperationContext,
  functions: string[],
  range: { start: Date; end: Date },
): Promise<FunctionP99[]> {
  // One whole, aligned period: an unaligned one comes back with a partial second bucket.
  const whole = wholePeriodRange(range.start.getTime(), range.end.getTime());
  const fromCloudWatch = await cloudWatchPercentiles(ctx, functions, ["p99"], {
    start: new Date(whole.start),
    end: new Date(whole.end),
    period: whole.period,
  });
  if (fromCloudWatch) {
    return functions.map((resource, f) => {
      const value = fullBucketValue(fromCloudWatch(f, "p99"), whole);
      return { resource, value, source: value !== null ? "CloudWatch" : "no invocations in the window" };
    });
  }
  const fromTraces = await durationsByService(ctx, range).catch(() => ({
    byService: new Map<string, number[]>(),
    traces: 0,
  }));
  return functions.map((resource) => {
    const durations = fromTraces.byService.get(resource) ?? [];
    return durations.length
      ? { resource, value: percentile(durations, 99), source: tracesNote(durations.length, fromTraces.traces) }
      : {
          resource,
          value: null,
          source: `unavailable: this endpoint computes no percentiles and none of the newest ${fromTraces.traces} traces of the window passed through it`,
        };
  });
}

/**
 * A DLQ's letters: what it holds (visible plus in flight, as nothing consumes a DLQ its in-flight
 * letters are leased by a view or a redrive job, still in it), its breakdown, and what entered it
 * per point, derived as the SLA derives it (dlqInflowSeries) since no AWS metric counts it.
 */
function deadLetterCharts(
  dlq: string,
  depth: DepthSeries,
  removals: Removal[],
  window: SlaWindow,
): { held: MetricPoint[]; depth: ResourceChart; inflow: ResourceChart } {
  const samples = depthSamples(depth);
  const held = samples.map((p) => ({ at: p.at, value: p.depth }));
  const arrivals = (dlqInflowSeries(samples, removals) ?? []).map((p) => ({
    at: p.at,
    value: p.count,
  }));
  const total = arrivals.reduce((sum, p) => sum + p.value, 0);
  return {
    held,
    depth: {
      id: "dead-letters",
      title: `Dead-letter queue ${dlq}`,
      unit: "messages",
      series: [
        { id: "held", label: "in the queue (visible + in flight)", points: held },
        { id: "visible", label: "visible", points: [...depth.visible] },
        { id: "leased", label: LEASED, points: [...depth.notVisible] },
      ],
      note:
        "In flight on a dead-letter queue means leased: a console view or a redrive job received " +
        "these letters and hides them until it lets them go. They are still in the queue.",
    },
    inflow: {
      id: "dead-letter-inflow",
      title: `Dead letters arriving in ${dlq}`,
      unit: "count",
      series: [{ id: "arrived", label: "dead-lettered per point", points: arrivals }],
      note:
        `+${total} in ${window}, derived as the SLA derives it: the rises of the queue's depth ` +
        `(visible + in flight) plus what the console took out; SQS's NumberOfMessagesSent leaves ` +
        `out the messages a redrive policy moves.`,
    },
  };
}

export async function resourceMetrics(
  ctx: OperationContext,
  kind: ResourceKind,
  name: string,
  window: SlaWindow,
): Promise<ResourceMetrics> {
  const topology = await getTopology(ctx);
  const node = topology.nodes.find(
    (n) => n.name === name && (n.kind === kind || (kind === "queue" && n.kind === "dlq")),
  );
  // Refused before "not found": one outside the caller's bindings gets a 403 whether it exists or not.
  await requireRoleOn(
    ctx,
    async () => (node ? nodeResource(node) : { arns: [(await arnsByName(ctx))(kind, name)] }),
    "viewer",
  );
  if (!node) throw new AppError("not_found", `No ${kind} named ${name} in this account and region.`);
  const isDlq = node.kind === "dlq";
  // The DLQ whose letters the charts count: the queue itself, or the one its redrive policy names.
  const dlq = kind !== "queue" ? undefined : isDlq ? name : deadLetterQueueOf(topology, node.id)?.name;
  const now = Date.now();
  const start = new Date(now - windowSecondsOf(window) * 1000);
  const end = new Date(now);
  const period = periodFor(start.getTime(), now, now);
  const specs = specsFor(kind, isDlq);
  const dimension = (value: string) => [{ name: RESOURCE_DIMENSION[NAMESPACE_OF[kind]], value }];
  const queries: MetricQuery[] = specs.map((s, i) => ({
    id: `m${i}`,
    namespace: s.namespace,
    metricName: s.metric,
    dimensions: dimension(name),
    stat: s.stat,
  }));
  if (dlq) queries.push(...depthQueries(dlq, "dlq"));
  const [fetched, percentiles] = await Promise.all([
    fetchMetricSeries(queries, { start, end, period }, ctx.aws.clients),
    kind === "function" ? durationPercentiles(ctx, name, { start, end, period }) : undefined,
  ]);
  const charts: ResourceChart[] = [];
  specs.forEach((s, i) => {
    let chart = charts.find((c) => c.id === s.chart);
    if (!chart) {
      chart = { id: s.chart, title: s.title, unit: s.unit, series: [] };
      charts.push(chart);
    }
    chart.series.push({ id: `m${i}`, label: s.label, points: fetched.get(`m${i}`) ?? [] });
  });
  if (dlq) {
    const removals =
      (await listDlqRemovals(await getStore(), scopeOfContext(ctx), [dlq], start.getTime())).get(dlq) ?? [];
    const letters = deadLetterCharts(dlq, depthSeriesFrom("dlq", fetched), removals, window);
    if (isDlq) charts.push(letters.inflow);
    else {
      charts
        .find((c) => c.id === "depth")
        ?.series.push({ id: "dlq", label: `dead-letter queue ${dlq} (visible + in flight)`, points: letters.held });
      charts.push(letters.depth, letters.inflow);
    }
  }
  if (percentiles) charts.push({ id: "percentiles", title: "Duration percentiles", unit: "ms", ...percentiles });
  return { kind, name, nodeId: node.id, window, period, charts, collectedAt: end.toISOString() };
}
