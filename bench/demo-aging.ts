/**
 * `npm run -s bench:demo-aging [-- --hours 24 --baseline-hours 1]`
 *
 * The demo after a day: on a moto of its own (the project's, with its CloudWatch index) with the
 * pipeline of infra/ deployed (no live traffic, its own telemetry paused), loads `--hours` of the
 * demo's telemetry through PutMetricData — the metrics and dimensions infra/local/telemetry/telemetry.ts
 * publishes, built with its own MetricBuffer, one flush every 10 s as the demo does, at the demo's
 * 2 events/s, timestamps spread over the past hours. Then times the console's operations with
 * nothing shared from an earlier answer: the SLA page for 1 h, 24 h and 7 d (GET /api/sla) and a
 * queue's charts for 1 h and 24 h (GET /api/metrics).
 *
 * The baseline, in the same run: a second moto with moto's own CloudWatch storage
 * (FANOUT_LOCAL_CLOUDWATCH_INDEX=off) given the last `--baseline-hours` of the same telemetry (its
 * cost grows with every datapoint held, so a day of it would not answer in any useful time), and
 * the GetMetricData calls the console made for the 1 h SLA and the 1 h charts replayed against
 * both servers, timed, and their answers compared where both hold the same data (calls whose window
 * starts within the baseline's hours). Measured, not asserted.
 *
 * Prints one JSON object: { loaded, consoleMs, getMetricData: { indexed, withoutIndex, sameAnswers }, aimMs }.
 * Progress goes to stderr.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import {
  CloudWatchClient,
  GetMetricDataCommand,
  PutMetricDataCommand,
  type GetMetricDataCommandInput,
  type MetricDatum,
} from "@aws-sdk/client-cloudwatch";
import {
  defaultTraffic,
  MetricBuffer,
  readEmulatorState,
  recordEmulatorMetrics,
  recordInvocationMetrics,
  startLocalPipeline,
  startMoto,
  type EmulatorState,
  type LocalAws,
} from "../infra/local";
import { findFreePort } from "../scripts/lib/processes";
import { testContext, storeIn } from "../test/context";
import { benchOptions, runBench } from "./cli";

const { hours, "baseline-hours": baselineHours } = benchOptions({ hours: 24, "baseline-hours": 1 });
if (!(hours > 0) || !(baselineHours >= 0) || baselineHours > hours) {
  console.error("usage: bench/demo-aging.ts [--hours N (> 0)] [--baseline-hours N (0 … hours; 0 skips the baseline)]");
  process.exit(2);
}

const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
const progress = (line: string) => process.stderr.write(`[bench:demo-aging] ${line}\n`);
const DAY_MS = 86_400_000;
/** The demo's telemetry interval (infra/local/telemetry/telemetry.ts). */
const FLUSH_MS = 10_000;
/** What the console is aiming at, per figure. */
const AIM_MS = 2000;

const cloudWatchAt = (aws: LocalAws) =>
  // The SDK gzips PutMetricData bodies over 10 KB, which moto 5.2.3 fails to decompress.
  new CloudWatchClient({
    endpoint: aws.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    disableRequestCompression: true,
  });

/** Resident memory of a server process in MB, where /proc tells (Linux); else null. */
function residentMb(aws: LocalAws): number | null {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${aws.process.child.pid}/status`, "utf8"))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

/** Deterministic "randomness", so that every run loads the same telemetry. */
function counter(seed: number) {
  let x = seed;
  return (n: number) => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x % n;
  };
}

/**
 * Builds the telemetry of [from, to) flush by flush, as infra/local/telemetry/telemetry.ts does for a demo with
 * live traffic: each flush samples the emulator's counters and the invocations since the last one.
 */
function* telemetryFlushes(from: number, to: number, functions: string[], queues: string[], topics: string[]) {
  const random = counter(7);
  const events = Math.round((defaultTraffic.rate * FLUSH_MS) / 1000);
  let previous: EmulatorState = { sns: {}, sqs: {} };
  const totals = { sns: {} as EmulatorState["sns"], sqs: {} as EmulatorState["sqs"] };
  for (let now = from; now < to; now += FLUSH_MS) {
    const buffer = new MetricBuffer();
    const current: EmulatorState = { sns: {}, sqs: {} };
    for (const arn of topics) {
      const t = (totals.sns[arn] ??= { published: 0, delivered: 0, filteredOut: 0, failed: 0 });
      t.published += events;
      t.delivered += events * 2 - random(3);
      t.filteredOut += random(4);
      t.failed += random(50) === 0 ? 1 : 0;
      current.sns[arn] = { ...t };
    }
    for (const arn of queues) {
      const q = (totals.sqs[arn] ??= {
        sent: 0,
        received: 0,
        deleted: 0,
        visible: 0,
        notVisible: 0,
        delayed: 0,
        oldestSentTimestamp: null,
      });
      const sent = arn.includes("dlq") ? 0 : random(events + 1);
      q.sent += sent;
      q.received += sent + random(2);
      q.deleted += sent;
      q.visible = arn.includes("dlq") ? q.visible + (random(10) === 0 ? 1 : 0) : random(3);
      q.notVisible = random(5);
      q.oldestSentTimestamp = q.visible ? now - random(600) * 1000 : null;
      current.sqs[arn] = { ...q };
    }
    recordEmulatorMetrics(buffer, previous, current, now);
    previous = current;
    for (const functionName of functions) {
      for (let i = 0, n = 1 + random(events); i < n; i++) {
        const start = now - random(FLUSH_MS);
        recordInvocationMetrics(buffer, {
          functionName,
          functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
          requestId: `${now}-${i}`,
          start,
          end: start + 20 + random(400),
          concurrency: 1 + random(3),
          event: {},
          ...(random(12) === 0 ? { error: { errorType: "Error", errorMessage: "failed" } } : {}),
        });
      }
    }
    yield { at: now, data: buffer.drain() };
  }
}

async function main() {
  const moto = await startMoto({ port: await findFreePort(), logTo: quiet });
  let plain: LocalAws | undefined;
  let pipeline: Awaited<ReturnType<typeof startLocalPipeline>> | undefined;
  try {
    if (baselineHours > 0) {
      // moto_server.py reads the switch when it starts: only this child gets it.
      process.env.FANOUT_LOCAL_CLOUDWATCH_INDEX = "off";
      try {
        plain = await startMoto({ port: await findFreePort(), logTo: quiet });
      } finally {
        delete process.env.FANOUT_LOCAL_CLOUDWATCH_INDEX;
      }
    }
    // Its own telemetry and alarm evaluation once a day: only the loaded telemetry is in CloudWatch.
    pipeline = await startLocalPipeline({
      awsEndpoint: moto.endpoint,
      lambdaPort: 0,
      traffic: false,
      telemetryIntervalMs: DAY_MS,
      alarmIntervalMs: DAY_MS,
    });
    const state = await readEmulatorState(moto.endpoint);
    const functions = pipeline.lambda.listFunctions().map((f) => f.FunctionName!);
    const queues = Object.keys(state.sqs);
    const topics = Object.keys(state.sns).length ? Object.keys(state.sns) : [pipeline.topicArn];

    // ── Load ───────────────────────────────────────────────
    const end = Math.floor(Date.now() / FLUSH_MS) * FLUSH_MS;
    const from = end - hours * 3_600_000;
    // On a whole minute: the telemetry stamps each datapoint with its minute, so a window from here on
    // holds the same datapoints on both servers.
    const baselineFrom = Math.floor((end - baselineHours * 3_600_000) / 60_000) * 60_000;
    const targets = [
      { client: cloudWatchAt(moto), from, pending: new Map<string, MetricDatum[]>(), requests: 0, datapoints: 0 },
    ];
    if (plain)
      targets.push({ client: cloudWatchAt(plain), from: baselineFrom, pending: new Map(), requests: 0, datapoints: 0 });
    const send = async (target: (typeof targets)[number], namespace: string, all: boolean) => {
      const data = target.pending.get(namespace) ?? [];
      while (data.length >= 500 || (all && data.length)) {
        const batch = data.splice(0, 500);
        await target.client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: batch }));
        target.requests += 1;
        target.datapoints += batch.length;
      }
    };
    const loadStarted = Date.now();
    let flushes = 0;
    for (const flush of telemetryFlushes(from, end, functions, queues, topics)) {
      flushes += 1;
      for (const target of targets) {
        if (flush.at < target.from) continue;
        for (const [namespace, data] of flush.data) {
          target.pending.set(namespace, [...(target.pending.get(namespace) ?? []), ...data]);
          await send(target, namespace, false);
        }
      }
      if (flushes % 360 === 0) progress(`loaded ${flushes / 360} of ${hours} hours`);
    }
    for (const target of targets) for (const namespace of target.pending.keys()) await send(target, namespace, true);
    const loaded = {
      hours,
      flushes,
      functions: functions.length,
      queues: queues.length,
      topics: topics.length,
      putMetricDataRequests: targets[0]!.requests,
      datapointsPut: targets[0]!.datapoints,
      loadSeconds: Math.round((Date.now() - loadStarted) / 100) / 10,
      motoResidentMb: residentMb(moto),
    };
    progress(`loaded ${JSON.stringify(loaded)}`);

    // ── The console, with nothing shared from an earlier answer ───────────────────────────
    storeIn(mkdtempSync(path.join(os.tmpdir(), "fanout-bench-demo-aging-")), moto.endpoint);
    const ctx = testContext({ endpoint: moto.endpoint, env: { AWS_ENDPOINT_URL_LAMBDA: pipeline.lambdaEndpoint } });
    const { getSla } = await import("../lib/operations/sla");
    const { resourceMetrics } = await import("../lib/operations/resource-metrics");
    const captured: GetMetricDataCommandInput[] = [];
    ctx.aws.clients.cloudwatch.middlewareStack.add(
      (next) => (a) => {
        const input = a.input as GetMetricDataCommandInput;
        if (input.MetricDataQueries && input.StartTime && input.EndTime) captured.push(structuredClone(input));
        return next(a);
      },
      { step: "initialize", name: "benchGetMetricDataCapture" },
    );
    /** Every answer the console shares between viewers, dropped. */
    const { forgetSharedResults: forgetSharedAnswers } = await import("../lib/shared-result");
    const timed = async (what: string, run: () => Promise<unknown>) => {
      forgetSharedAnswers();
      captured.length = 0;
      const started = performance.now();
      await run();
      const ms = Math.round(performance.now() - started);
      progress(`${what}: ${ms} ms, ${captured.length} GetMetricData calls`);
      return { ms, calls: [...captured] };
    };
    // Once before measuring: the first call also loads modules and opens connections.
    await getSla(ctx, "1h", { fresh: true });
    const workQueue = queues.map((arn) => arn.slice(arn.lastIndexOf(":") + 1)).find((name) => !name.includes("dlq"))!;
    const sla1h = await timed("SLA 1 h", () => getSla(ctx, "1h", { fresh: true }));
    const sla24h = await timed("SLA 24 h", () => getSla(ctx, "24h", { fresh: true }));
    const sla7d = await timed("SLA 7 d", () => getSla(ctx, "7d", { fresh: true }));
    const charts1h = await timed(`charts of ${workQueue}, 1 h`, () => resourceMetrics(ctx, "queue", workQueue, "1h"));
    const charts24h = await timed(`charts of ${workQueue}, 24 h`, () =>
      resourceMetrics(ctx, "queue", workQueue, "24h"),
    );
    const consoleMs = {
      sla1h: sla1h.ms,
      sla24h: sla24h.ms,
      sla7d: sla7d.ms,
      charts1h: charts1h.ms,
      charts24h: charts24h.ms,
      queue: workQueue,
    };

    // ── The same GetMetricData calls, with and without the index ──────────────────────────
    const replay = async (aws: LocalAws, calls: GetMetricDataCommandInput[]) => {
      const client = cloudWatchAt(aws);
      let ms = 0;
      const answers: unknown[] = [];
      for (const input of calls) {
        const started = performance.now();
        try {
          const page = await client.send(new GetMetricDataCommand(input));
          answers.push(
            (page.MetricDataResults ?? []).map((r) => ({
              id: r.Id,
              values: r.Values,
              at: r.Timestamps?.map((t) => t.getTime()),
            })),
          );
        } catch (err) {
          // A percentile statistic: moto answers HTML 500 (docs/local-aws.md), either way.
          answers.push(`error: ${(err as Error).name}`);
        }
        ms += performance.now() - started;
      }
      return { ms: Math.round(ms), answers };
    };
    const summary = (calls: GetMetricDataCommandInput[], ms: number) => ({
      calls: calls.length,
      queries: calls.reduce((n, c) => n + (c.MetricDataQueries?.length ?? 0), 0),
      ms,
    });
    const indexedSla = await replay(moto, sla1h.calls);
    const indexedCharts = await replay(moto, charts1h.calls);
    const getMetricData: Record<string, unknown> = {
      indexed: {
        loadedHours: hours,
        sla1h: summary(sla1h.calls, indexedSla.ms),
        charts1h: summary(charts1h.calls, indexedCharts.ms),
      },
    };
    if (plain) {
      progress(
        `replaying the 1 h calls on moto's own storage (${baselineHours} h loaded, ${targets[1]!.datapoints} datapoints); this takes a while`,
      );
      const plainSla = await replay(plain, sla1h.calls);
      const plainCharts = await replay(plain, charts1h.calls);
      getMetricData.withoutIndex = {
        loadedHours: baselineHours,
        datapointsPut: targets[1]!.datapoints,
        sla1h: summary(sla1h.calls, plainSla.ms),
        charts1h: summary(charts1h.calls, plainCharts.ms),
      };
      // Answers compared where both servers hold the same data: calls whose window starts after the baseline's first datapoint.
      const calls = [...sla1h.calls, ...charts1h.calls];
      const indexedAnswers = [...indexedSla.answers, ...indexedCharts.answers];
      const plainAnswers = [...plainSla.answers, ...plainCharts.answers];
      const comparable = calls.flatMap((c, i) => (new Date(c.StartTime!).getTime() >= baselineFrom ? [i] : []));
      const differing = comparable.filter((i) => JSON.stringify(indexedAnswers[i]) !== JSON.stringify(plainAnswers[i]));
      for (const i of differing)
        progress(
          `call ${i} differs:\n  indexed ${JSON.stringify(indexedAnswers[i])}\n  without ${JSON.stringify(plainAnswers[i])}`,
        );
      getMetricData.sameAnswers = {
        comparedCalls: comparable.length,
        ofCalls: calls.length,
        equal: differing.length === 0,
      };
    }
    console.log(JSON.stringify({ loaded, consoleMs, getMetricData, aimMs: AIM_MS }));
  } finally {
    await pipeline?.stop();
    await plain?.stop();
    await moto.stop();
  }
}

runBench(main);
