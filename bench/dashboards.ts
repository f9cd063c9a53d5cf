/**
 * `npm run -s bench:dashboards [-- --queues 400]`
 *
 * Counts what the SLA page asks CloudWatch for, on a moto of its own: first for the pipeline of
 * infra/ (deployed, no traffic), then for a synthetic account with N more queues (default 400,
 * half of them with a DLQ, each subscribed to one of 20 topics). Prints one JSON object per account
 * in an array: [{ account, queries, datapoints, getMetricDataCalls, aim }], where `aim` is
 * max(ceil(queries / 500), ceil(datapoints / 100,800)) for each read, the fewest calls
 * GetMetricData's limits allow (CloudWatch API Reference), plus one for the percentiles.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CreateTopicCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { startLocalPipeline, startMoto } from "../infra/local";
import { findFreePort } from "../scripts/lib/processes";
import { testContext, storeIn } from "../test/context";
import { benchOptions, runBench } from "./cli";

const { queues: extraQueues } = benchOptions({ queues: 400 });
const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });

async function main() {
  const moto = await startMoto({ port: await findFreePort(), logTo: quiet });
  const pipeline = await startLocalPipeline({ awsEndpoint: moto.endpoint, lambdaPort: 0, traffic: false });
  storeIn(mkdtempSync(path.join(os.tmpdir(), "fanout-bench-dashboards-")), moto.endpoint);
  const { getSla } = await import("../lib/operations/sla");
  const ctx = testContext({ endpoint: moto.endpoint, env: { AWS_ENDPOINT_URL_LAMBDA: pipeline.lambdaEndpoint } });
  const clients = ctx.aws.clients;

  // Every GetMetricData call the SLA page makes: its queries and the datapoints they may return.
  const calls: Array<{ queries: number; datapoints: number; percentiles: boolean }> = [];
  clients.cloudwatch.middlewareStack.add(
    (next) => (a) => {
      const input = a.input as GetMetricDataCommand["input"];
      if (input.MetricDataQueries && input.StartTime && input.EndTime) {
        const seconds = (new Date(input.EndTime).getTime() - new Date(input.StartTime).getTime()) / 1000;
        const period = input.MetricDataQueries[0]?.MetricStat?.Period ?? 60;
        const percentiles = /^p\d/.test(input.MetricDataQueries[0]?.MetricStat?.Stat ?? "");
        calls.push({
          queries: input.MetricDataQueries.length,
          datapoints: input.MetricDataQueries.length * Math.ceil(seconds / period),
          percentiles,
        });
      }
      return next(a);
    },
    { step: "initialize", name: "benchGetMetricDataCounter" },
  );

  const measure = async (account: string) => {
    calls.length = 0;
    // Fresh: the page's answers are shared for 28 s, and each account must be measured on its own.
    await getSla(ctx, "24h", { fresh: true });
    // Each read (a time range and period) has its own floor; the page's aim is the sum of them.
    const reads = new Map<number, { queries: number; datapoints: number }>();
    for (const c of calls.filter((x) => !x.percentiles)) {
      const perQuery = c.datapoints / c.queries;
      const r = reads.get(perQuery) ?? { queries: 0, datapoints: 0 };
      reads.set(perQuery, { queries: r.queries + c.queries, datapoints: r.datapoints + c.datapoints });
    }
    // Plus one for the percentiles, which go in a call of their own.
    const aim =
      [...reads.values()].reduce(
        (n, r) => n + Math.max(Math.ceil(r.queries / 500), Math.ceil(r.datapoints / 100_800)),
        0,
      ) + (calls.some((c) => c.percentiles) ? 1 : 0);
    return {
      account,
      queries: calls.reduce((n, c) => n + c.queries, 0),
      datapoints: calls.reduce((n, c) => n + c.datapoints, 0),
      getMetricDataCalls: calls.length,
      aim,
    };
  };

  try {
    const results = [await measure("the pipeline of infra/")];
    const n = extraQueues;
    const topics: string[] = [];
    for (let t = 0; t < 20; t++)
      topics.push((await clients.sns.send(new CreateTopicCommand({ Name: `bench-sla-${t}` }))).TopicArn!);
    for (let i = 0; i < n; i++) {
      const withDlq = i < n / 2;
      if (withDlq) await clients.sqs.send(new CreateQueueCommand({ QueueName: `bench-sla-dlq-${i}` }));
      await clients.sqs.send(
        new CreateQueueCommand({
          QueueName: `bench-sla-${i}`,
          Attributes: withDlq
            ? {
                RedrivePolicy: JSON.stringify({
                  deadLetterTargetArn: `arn:aws:sqs:us-east-1:123456789012:bench-sla-dlq-${i}`,
                  maxReceiveCount: 3,
                }),
              }
            : {},
        }),
      );
      await clients.sns.send(
        new SubscribeCommand({
          TopicArn: topics[i % topics.length]!,
          Protocol: "sqs",
          Endpoint: `arn:aws:sqs:us-east-1:123456789012:bench-sla-${i}`,
        }),
      );
    }
    // The topology is shared for 14 s: ask for a fresh one so the new queues count.
    const { getTopology } = await import("../lib/operations/topology");
    await getTopology(ctx, { fresh: true });
    results.push(await measure(`the pipeline plus ${n} queues (${n / 2} with a DLQ) on 20 topics`));
    console.log(JSON.stringify(results));
  } finally {
    await pipeline.stop();
    await moto.stop();
  }
}

runBench(main);
