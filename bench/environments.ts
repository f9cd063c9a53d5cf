/**
 * `npm run -s bench:environments [-- --environments 6 --queues 100 --delay 25]`
 *
 * The overview across environments, collected cold. On a moto of its own, each environment is an
 * account of its own reached through sts:AssumeRole (111111111111, 222222222222, …), holding a
 * pipeline of `--queues` queues: a quarter of them dead-letter queues with alarms, the rest
 * subscribed to a topic, some letters waiting. Every call goes through a proxy adding 25 ms (about
 * an AWS round trip) and counting it. Each environment is collected alone, then all of them as
 * `GET /api/overview` does, each run as a console just started would (new credentials, clients and
 * shared answers). Prints one JSON object:
 * { environments, apiCalls, minimumApiCalls, seconds, slowestEnvironmentSeconds, … }, where
 * minimumApiCalls is the sum of each environment's calls alone: the overview should add none.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { CreateTopicCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { startMoto } from "../infra/local";
import type { AwsClients } from "../lib/aws/clients";
import { mapWithConcurrency } from "../lib/aws/concurrency";
import { findFreePort } from "../scripts/lib/processes";
import { storeIn } from "../test/context";
import { startFaultProxy } from "../test/fault-proxy";
import { putNotEmptyAlarm, sendLetters } from "../test/queues";
import { benchOptions, runBench } from "./cli";

const { environments: count, queues, delay } = benchOptions({ environments: 6, queues: 100, delay: 25 });
const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
const REGION = "us-east-1";
const viewer = { name: "bench", role: "viewer" as const };

const round = (n: number) => Number(n.toFixed(2));

/** 111111111111 … 999999999999, then 100000000010, …: one account per environment. */
const accountOf = (i: number) => (i < 9 ? String(i + 1).repeat(12) : String(100_000_000_000 + i * 10));

async function main() {
  if (count < 1 || queues < 4) throw new Error("--environments must be at least 1 and --queues at least 4");
  const moto = await startMoto({ port: await findFreePort(), logTo: quiet });
  const proxy = await startFaultProxy(moto.endpoint);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "fanout-bench-environments-"));
  storeIn(dataDir, proxy.url);
  const { loadConfig } = await import("../lib/env");
  const { contextsOfEveryScope } = await import("../lib/scope-contexts");
  const { getOverview, OVERVIEW_CONCURRENCY } = await import("../lib/operations/overview");
  const { forgetSharedResults } = await import("../lib/shared-result");
  /**
   * A context per environment. The session name joins the credentials' key, so each run gets new
   * clients, a new AssumeRole and account check, and caches of its own: a console just started.
   */
  const contextsFor = (endpoint: string, session: string) =>
    contextsOfEveryScope(
      loadConfig({
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: REGION,
        FANOUT_DATA_DIR: dataDir,
        FANOUT_ENVIRONMENTS: JSON.stringify(
          Array.from({ length: count }, (_, i) => ({
            id: `env-${i + 1}`,
            name: `Environment ${i + 1}`,
            accountId: accountOf(i),
            regions: [REGION],
            kind: i === 0 ? "production" : "staging",
            credentials: {
              source: "assume-role",
              roleArn: `arn:aws:iam::${accountOf(i)}:role/fanout-console`,
              sessionName: session,
            },
            endpoint,
          })),
        ),
      }),
      () => viewer,
      session,
    );

  try {
    // ── The environments, created straight against moto (no delay) ───────────────────
    await mapWithConcurrency(contextsFor(moto.endpoint, "fanout-bench-seed"), 2, (ctx) => seed(ctx.aws.clients));

    /** CPU seconds moto has used so far (utime + stime of /proc/<pid>/stat, in clock ticks of 1/100 s). */
    const motoCpu = () => {
      const fields = readFileSync(`/proc/${moto.process.child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return (Number(fields[11]) + Number(fields[12])) / 100;
    };
    let run = 0;
    /** One cold collection of these environments (by index) through the delaying proxy: its time and calls. */
    const collect = async (which: number[]) => {
      const contexts = contextsFor(proxy.url, `fanout-bench-${++run}`);
      forgetSharedResults();
      proxy.setFault({ mode: "delay", ms: delay });
      const began = performance.now();
      const cpuBefore = { console: process.cpuUsage(), moto: motoCpu() };
      const overview = await getOverview(which.map((i) => contexts[i]!));
      const seconds = (performance.now() - began) / 1000;
      const consoleCpu = process.cpuUsage(cpuBefore.console);
      const cpu = {
        // The proxy runs in this process: its forwarding counts here too.
        console: (consoleCpu.user + consoleCpu.system) / 1e6,
        moto: motoCpu() - cpuBefore.moto,
      };
      const calls = proxy.requests;
      proxy.setFault({ mode: "pass" });
      for (const s of overview.scopes) {
        const failed = s.ok ? s.summary.failed : [{ source: "all", reason: s.reason }];
        if (failed.length) throw new Error(`${s.environment.id} was not read whole: ${JSON.stringify(failed)}`);
      }
      return { seconds, calls, overview, cpu };
    };

    const all = Array.from({ length: count }, (_, i) => i);
    // Warms the process (module loading, JIT), so that the first measured run is not the slower for it.
    await collect([0]);
    const alone: Array<{ seconds: number; calls: number }> = [];
    for (const i of all) alone.push(await collect([i]));
    const together = await collect(all);

    const slowest = Math.max(...alone.map((a) => a.seconds));
    const minimumApiCalls = alone.reduce((sum, a) => sum + a.calls, 0);
    const letters = together.overview.scopes.map((s) =>
      s.ok && s.summary.deadLetters.ok ? s.summary.deadLetters.value.total : 0,
    );
    console.log(
      JSON.stringify({
        environments: count,
        queuesPerEnvironment: queues,
        concurrency: OVERVIEW_CONCURRENCY,
        apiCalls: together.calls,
        minimumApiCalls,
        callsOverMinimum: Number((together.calls / minimumApiCalls).toFixed(3)),
        seconds: Number(together.seconds.toFixed(2)),
        slowestEnvironmentSeconds: Number(slowest.toFixed(2)),
        secondsOverSlowest: Number((together.seconds / slowest).toFixed(2)),
        sumOfEnvironmentSeconds: Number(alone.reduce((sum, a) => sum + a.seconds, 0).toFixed(2)),
        deadLettersPerEnvironment: letters,
        // Where the time went while collecting them all: CPU of this process (collector and proxy) and of moto.
        cpuSeconds: { console: round(together.cpu.console), moto: round(together.cpu.moto) },
        loadAverage: os.loadavg().map(round),
        delayMsPerCall: delay,
      }),
    );
  } finally {
    await proxy.close();
    await moto.stop();
  }
}

/**
 * One environment's pipeline: a topic, `queues / 4` dead-letter queues each with an alarm, the other
 * queues subscribed to the topic with a redrive policy naming one of the DLQs, and letters waiting in
 * the first few DLQs.
 */
async function seed(clients: AwsClients) {
  const dlqs = Math.floor(queues / 4);
  const indexes = (n: number) => Array.from({ length: n }, (_, i) => i);
  const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: "bench-orders" }));
  const dlqUrls = await mapWithConcurrency(indexes(dlqs), 8, async (i) => {
    const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: `bench-dlq-${i}` }));
    await putNotEmptyAlarm(clients.cloudwatch, `bench-dlq-${i}`);
    return QueueUrl!;
  });
  // The queue URL's path is /<account>/<name>: the ARN follows from it.
  const arnOf = (url: string) => {
    const [, account, name] = new URL(url).pathname.split("/");
    return `arn:aws:sqs:${REGION}:${account}:${name}`;
  };
  await mapWithConcurrency(indexes(queues - dlqs), 8, async (i) => {
    const { QueueUrl } = await clients.sqs.send(
      new CreateQueueCommand({
        QueueName: `bench-queue-${i}`,
        Attributes: {
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnOf(dlqUrls[i % dlqs]!), maxReceiveCount: 5 }),
        },
      }),
    );
    await clients.sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: arnOf(QueueUrl!) }));
  });
  for (const url of dlqUrls.slice(0, 3)) await sendLetters(clients.sqs, url, 5);
}

runBench(main);
