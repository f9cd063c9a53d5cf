/**
 * `npm run -s bench:topology [-- --topics 156 --queues 1560 --dlqs 390 --subscriptions 1560 --functions 234]
 *   [--rounds 5] [--no-render] [--no-sequential] [--profile]`
 *
 * Builds a large synthetic account (2,340 nodes by default) on a moto of its own (and the local
 * Lambda API for functions and mappings), then collects it with Fanout's collector and with a plain
 * sequential one (skipped by --no-sequential: about two minutes at this size), both through a proxy
 * that adds 25 ms to every call (about an AWS round trip: what concurrency hides in real use; moto
 * itself is one Python process and gains nothing from it). Then, unless --no-render, it opens the
 * topology page in Chromium `rounds` times, the server's graph already collected, and times the first
 * card drawn, the first click answered (its panel open: "interactive"), the click alone and a search;
 * medians, and the slowest interactive. --profile writes the first round's CPU profile to
 * .test-output/topology.cpuprofile. Prints one JSON object:
 * { nodes, edges, apiCalls, minimumApiCalls, seconds, sequentialSeconds, render? }.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
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
  profile,
  "no-sequential": noSequential,
  rounds,
  ...size
} = benchOptions({
  // 2,340 nodes: 156 topics, 1,560 queues (390 of them DLQs, each with an alarm) and 234 functions.
  topics: 156,
  queues: 1560,
  dlqs: 390,
  subscriptions: 1560,
  functions: 234,
  delay: 25,
  "no-render": false,
  profile: false,
  "no-sequential": false,
  rounds: 5,
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
        Tags: { team: `team-${f % 7}` },
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
    if (!noSequential) await collectSequentially(clients);
    const sequentialSeconds = noSequential ? Number.NaN : (performance.now() - sequentialBegan) / 1000;

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
      account.functions.length /* ListTags */ +
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
  const { listEventSourceMappings, listFunctions, listFunctionTags } = await import("../lib/aws/lambda");
  const { describeMetricAlarms } = await import("../lib/aws/cloudwatch");
  for (const t of await listTopics(clients)) await listTopicTags(t.arn, clients);
  await listSubscriptions(clients, 1);
  for (const q of await describeQueues(clients, 1)) await listQueueTags(q.url, clients);
  for (const f of await listFunctions(clients)) await listFunctionTags(f.arn, clients);
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
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    // Warm the server's cache, so the timing is the browser's, not the collection's.
    await page.request.get(`${server.url}/api/topology`);
    const runs: Array<{ firstRenderMs: number; interactiveMs: number; clickToPanelMs: number; searchMs: number }> = [];
    for (let round = 0; round < rounds; round++) {
      const cdp = profile && round === 0 ? await page.context().newCDPSession(page) : undefined;
      if (cdp) {
        await cdp.send("Profiler.enable");
        await cdp.send("Profiler.start");
      }
      const began = Date.now();
      await page.goto(`${server.url}/topology`);
      await page.locator(".topo-card").first().waitFor();
      const firstRenderMs = Date.now() - began;
      // The first click, at once: interactive is when the page answers it.
      const clickBegan = Date.now();
      await page.locator(".react-flow__node").first().dispatchEvent("click");
      await page.locator(".topo-panel").waitFor();
      const interactiveMs = Date.now() - began;
      const clickToPanelMs = Date.now() - clickBegan;
      if (cdp) {
        const { profile: cpuProfile } = await cdp.send("Profiler.stop");
        mkdirSync(".test-output", { recursive: true });
        writeFileSync(".test-output/topology.cpuprofile", JSON.stringify(cpuProfile));
        console.error("[profile] written to .test-output/topology.cpuprofile");
      }
      // A search dims what does not match, across the whole graph.
      const searchBegan = Date.now();
      await page.getByLabel("Search by name").fill("bench-queue-1");
      await page.locator(".topo-card.topo-dimmed").first().waitFor({ state: "attached" });
      runs.push({ firstRenderMs, interactiveMs, clickToPanelMs, searchMs: Date.now() - searchBegan });
    }
    const median = (key: keyof (typeof runs)[number]) => {
      const sorted = runs.map((r) => r[key]).sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)]!;
    };
    return {
      rounds,
      firstRenderMs: median("firstRenderMs"),
      interactiveMs: median("interactiveMs"),
      clickToPanelMs: median("clickToPanelMs"),
      searchMs: median("searchMs"),
      worstInteractiveMs: Math.max(...runs.map((r) => r.interactiveMs)),
      cardsInDom: await page.locator(".topo-card").count(),
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

runBench(main);
