/**
 * `npm run -s bench:topology [-- --topics 40 --queues 400 --dlqs 100 --subscriptions 400 --functions 60] [--no-render]`
 *
 * Builds a large synthetic account on a moto of its own (and the local Lambda API for functions
 * and mappings), then collects it with Fanout's collector and with a plain sequential one, both
 * through a proxy that adds 25 ms to every call (about an AWS round trip: what concurrency hides
 * in real use; moto itself is one Python process and gains nothing from it). Then, unless
 * --no-render, it opens the console in Chromium and times the graph's first render and the first
 * click that answers. Prints one JSON object:
 * { nodes, edges, apiCalls, minimumApiCalls, seconds, sequentialSeconds, render? }.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { CreateTopicCommand, SubscribeCommand, TagResourceCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { LocalLambda, startLambdaApi, startMoto } from "../infra/local";
import { findFreePort } from "../scripts/lib/processes";
import { testContext, storeIn } from "../test/context";
import { startFaultProxy } from "../test/fault-proxy";
import { putNotEmptyAlarm } from "../test/queues";
import { benchOptions, runBench } from "./cli";

const {
  delay,
  "no-render": noRender,
  ...size
} = benchOptions({
  topics: 40,
  queues: 400,
  dlqs: 100,
  subscriptions: 400,
  functions: 60,
  delay: 25,
  "no-render": false,
});
const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });

/** Runs `work` over 0..n-1, `limit` at a time. */
async function inParallel(n: number, limit: number, work: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, n) }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

async function main() {
  const moto = await startMoto({ port: await findFreePort(), logTo: quiet });
  const lambda = new LocalLambda("us-east-1", "123456789012");
  const lambdaApi = await startLambdaApi(lambda, 0);
  const awsProxy = await startFaultProxy(moto.endpoint);
  const lambdaProxy = await startFaultProxy(lambdaApi.url);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "fanout-bench-topology-"));
  storeIn(dataDir, awsProxy.url);
  const { collectAccount } = await import("../lib/operations/topology");
  const { buildTopology, deadLetterQueueArns } = await import("../lib/domain/topology");
  const clients = testContext({ endpoint: awsProxy.url, env: { AWS_ENDPOINT_URL_LAMBDA: lambdaProxy.url } }).aws
    .clients;

  try {
    // ── The account, created straight against moto (no delay) ────────────────────────
    const topicArns: string[] = [];
    for (let t = 0; t < size.topics; t++) {
      const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: `bench-topic-${t}` }));
      topicArns.push(TopicArn!);
    }
    awsProxy.setFault({ mode: "pass" });
    const queueArns: string[] = new Array(size.queues);
    const dlqArn = (i: number) => `arn:aws:sqs:us-east-1:123456789012:bench-dlq-${i}`;
    // DLQs first, so the source queues' redrive policies name queues that exist.
    await inParallel(size.dlqs, 8, async (i) => {
      await clients.sqs.send(new CreateQueueCommand({ QueueName: `bench-dlq-${i}`, tags: { team: `team-${i % 7}` } }));
      queueArns[size.queues - size.dlqs + i] = dlqArn(i);
    });
    await inParallel(size.queues - size.dlqs, 8, async (i) => {
      const attributes =
        i < size.dlqs
          ? { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn(i), maxReceiveCount: 3 }) }
          : undefined;
      const { QueueUrl } = await clients.sqs.send(
        new CreateQueueCommand({
          QueueName: `bench-queue-${i}`,
          Attributes: attributes,
          tags: { team: `team-${i % 7}` },
        }),
      );
      const { Attributes } = await clients.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
      );
      queueArns[i] = Attributes!.QueueArn!;
    });
    const sources = size.queues - size.dlqs;
    await inParallel(size.subscriptions, 8, (s) =>
      clients.sns.send(
        new SubscribeCommand({
          TopicArn: topicArns[(s + Math.floor(s / sources)) % size.topics]!,
          Protocol: "sqs",
          Endpoint: queueArns[s % sources]!,
          Attributes:
            s % 3 === 0
              ? { FilterPolicy: JSON.stringify({ eventType: [`type-${s % 5}`] }), RawMessageDelivery: "true" }
              : {},
        }),
      ),
    );
    await inParallel(size.topics, 8, (t) =>
      clients.sns.send(
        new TagResourceCommand({ ResourceArn: topicArns[t]!, Tags: [{ Key: "team", Value: `team-${t % 7}` }] }),
      ),
    );
    for (let f = 0; f < size.functions; f++) {
      lambda.createFunction({
        FunctionName: `bench-fn-${f}`,
        Role: "arn:aws:iam::123456789012:role/bench",
        Handler: "index.handler",
        Code: { S3Key: "functions/bench" },
      });
      lambda.createEventSourceMapping({
        FunctionName: `bench-fn-${f}`,
        EventSourceArn: queueArns[f % sources]!,
        BatchSize: 10,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      });
    }
    await inParallel(size.dlqs, 8, (i) => putNotEmptyAlarm(clients.cloudwatch, `bench-dlq-${i}`));

    // ── Counting calls, through the delaying proxies ─────────────────────────────────
    let calls = 0;
    const { sns, sqs, cloudwatch, xray, lambda: lambdaClient, sts } = clients;
    for (const client of [sns, sqs, cloudwatch, xray, lambdaClient, sts]) {
      (client as { middlewareStack: { add: (m: unknown, o: unknown) => void } }).middlewareStack.add(
        (next: (args: unknown) => unknown) => (a: unknown) => {
          calls++;
          return next(a);
        },
        { step: "initialize", name: "benchCallCounter" },
      );
    }
    awsProxy.setFault({ mode: "delay", ms: delay });
    lambdaProxy.setFault({ mode: "delay", ms: delay });

    const began = performance.now();
    const account = await collectAccount(clients);
    const seconds = (performance.now() - began) / 1000;
    const apiCalls = calls;
    if (account.failures?.length) throw new Error(`the collector failed on: ${JSON.stringify(account.failures)}`);
    const topology = buildTopology(account);

    const sequentialBegan = performance.now();
    await collectSequentially(clients);
    const sequentialSeconds = (performance.now() - sequentialBegan) / 1000;

    // The fewest calls AWS's paging rules allow: list pages, plus one call per resource for what a list omits.
    const pages = (n: number, perPage: number) => Math.max(1, Math.ceil(n / perPage));
    // Throughput of every resource, processed per consumed queue, and two depth series per DLQ.
    const consumedQueues = new Set(account.mappings.map((m) => m.eventSourceArn));
    const dlqArns = deadLetterQueueArns(account);
    const metricSeries =
      account.topics.length +
      account.queues.length +
      account.functions.length +
      account.queues.filter((q) => consumedQueues.has(q.arn)).length +
      2 * account.queues.filter((q) => dlqArns.has(q.arn)).length;
    const minimumApiCalls =
      pages(account.topics.length, 100) +
      account.topics.length /* ListTagsForResource */ +
      pages(account.subscriptions.length, 100) +
      account.subscriptions.length /* GetSubscriptionAttributes */ +
      pages(account.queues.length, 1000) +
      2 * account.queues.length /* GetQueueAttributes, ListQueueTags */ +
      pages(account.functions.length, 50) +
      pages(account.mappings.length, 100) +
      pages(account.alarms.length, 100) +
      pages(metricSeries, 500);

    awsProxy.setFault({ mode: "pass" });
    lambdaProxy.setFault({ mode: "pass" });
    const render = noRender ? undefined : await timeRender(moto.endpoint, lambdaApi.url, dataDir);

    console.log(
      JSON.stringify({
        nodes: topology.nodes.length,
        edges: topology.edges.length,
        apiCalls,
        minimumApiCalls,
        callsOverMinimum: Number((apiCalls / minimumApiCalls).toFixed(3)),
        seconds: Number(seconds.toFixed(2)),
        sequentialSeconds: Number(sequentialSeconds.toFixed(2)),
        speedup: Number((sequentialSeconds / seconds).toFixed(2)),
        delayMsPerCall: delay,
        ...(render ? { render } : {}),
      }),
    );
  } finally {
    await awsProxy.close();
    await lambdaProxy.close();
    await lambdaApi.close();
    await moto.stop();
  }
}

/** The same calls, one at a time: what a straightforward script would do. */
async function collectSequentially(clients: import("../lib/aws/clients").AwsClients) {
  const { listSubscriptions, listTopicTags, listTopics } = await import("../lib/aws/sns");
  const { describeQueues, listQueueTags } = await import("../lib/aws/sqs");
  const { listEventSourceMappings, listFunctions } = await import("../lib/aws/lambda");
  const { describeMetricAlarms } = await import("../lib/aws/cloudwatch");
  for (const t of await listTopics(clients)) await listTopicTags(t.arn, clients);
  await listSubscriptions(clients, 1);
  for (const q of await describeQueues(clients, 1)) await listQueueTags(q.url, clients);
  await listFunctions(clients);
  await listEventSourceMappings(clients);
  await describeMetricAlarms(clients);
}

/** Opens the topology page in Chromium on a console of its own and times the graph. */
async function timeRender(awsEndpoint: string, lambdaEndpoint: string, dataDir: string) {
  const { ensureBuild, startConsole } = await import("../scripts/lib/console");
  const { ensureChromium, chromiumArgs } = await import("../scripts/lib/chromium");
  const { chromium } = await import("playwright");
  ensureBuild();
  const port = await findFreePort();
  const server = await startConsole({
    host: "127.0.0.1",
    port,
    logTo: quiet,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      AWS_ENDPOINT_URL: awsEndpoint,
      AWS_ENDPOINT_URL_LAMBDA: lambdaEndpoint,
      AWS_REGION: "us-east-1",
      PORT: String(port),
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      FANOUT_DATA_DIR: dataDir,
      FANOUT_USERS: JSON.stringify([{ username: "bench", password: "bench-password", role: "viewer" }]),
    },
  });
  const browser = await chromium.launch({ executablePath: ensureChromium(), headless: true, args: chromiumArgs });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${server.url}/login`);
    await page.getByLabel("Username").fill("bench");
    await page.getByLabel("Password").fill("bench-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(/\/topology/);
    // Warm the server's cache, so the timing is the browser's, not the collection's.
    await page.request.get(`${server.url}/api/topology`);
    const began = Date.now();
    await page.goto(`${server.url}/topology`);
    await page.locator(".topo-card").first().waitFor();
    const firstRenderMs = Date.now() - began;
    const clickBegan = Date.now();
    await page.locator(".react-flow__node").first().dispatchEvent("click");
    await page.locator(".topo-panel").waitFor();
    const interactiveMs = Date.now() - began;
    return {
      firstRenderMs,
      interactiveMs,
      clickToPanelMs: Date.now() - clickBegan,
      cardsInDom: await page.locator(".topo-card").count(),
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

runBench(main);
