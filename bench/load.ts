/**
 * `npm run -s bench:load [-- --seconds 60 --viewers 50]`
 *
 * Many people watching the console at once: on a moto of its own (the pipeline of infra/ deployed
 * to it, with the demo's live traffic, in a tsx child process that talks to moto directly), the
 * built console talks to moto through a counting proxy, so only the console's AWS calls are
 * counted. Simulated viewers poll as the pages do (`polls` below: the topology, SLA, dead-letter,
 * start-page, overview and trace-list routes, each every 15 or 30 s from a random start). Phase A:
 * one viewer for N seconds; phase B: --viewers viewers at once for N seconds. Prints one JSON object:
 * { requests, p50Ms, p95Ms, errors, awsCallsPerMinute, awsCallsPerMinuteOneViewer, ratio, viewers, seconds },
 * requests to errors from phase B (an error: a status other than 2xx, or no answer). Progress and
 * details go to stderr; the servers' logs go to a file in a temp folder, kept when the run fails.
 * Calls to the Lambda API (the pipeline's own endpoint) are not counted: it is not behind the proxy.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import bcrypt from "bcryptjs";
import { startMoto } from "../infra/local";
import { findFreePort } from "../scripts/lib/processes";
import { projectRoot } from "../scripts/lib/project-root";
import { localConsoleEnv, startConsole } from "../scripts/lib/console";
import { startPipelineProcess } from "../scripts/lib/pipeline-process";
import { startFaultProxy } from "../test/fault-proxy";
import { benchOptions } from "./cli";

const { seconds, viewers } = benchOptions({ seconds: 60, viewers: 50 });
if (!(seconds > 0) || !Number.isInteger(viewers) || viewers < 1) {
  console.error("usage: bench/load.ts [--seconds N (> 0)] [--viewers N (a whole number ≥ 1)]");
  process.exit(2);
}

/**
 * What each page polls, and how often (refetchInterval in lib/queries/): the topology, the SLA page,
 * the dead-letter overview, the start page's incidents, its row of the overview across environments,
 * and the trace list.
 */
const polls = [
  { route: "topology", path: "/api/topology", everyMs: 15_000 },
  { route: "sla", path: "/api/sla?window=1h", everyMs: 30_000 },
  { route: "dead-letters", path: "/api/dead-letters", everyMs: 15_000 },
  { route: "incidents", path: "/api/incidents", everyMs: 15_000 },
  { route: "overview", path: "/api/e/default/us-east-1/overview-summary", everyMs: 15_000 },
  { route: "traces", path: "/api/traces?window=15m", everyMs: 30_000 },
] as const;
type Route = (typeof polls)[number]["route"];
/** Only so that a server that never answers cannot hang the run; such a request counts as an error. */
const requestTimeoutMs = 120_000;

const progress = (line: string) => process.stderr.write(`[bench:load] ${line}\n`);

// ── Everything started is stopped once, at the end, on failure or on Ctrl-C ─────────────────
const cleanups: Array<{ what: string; stop: () => Promise<void> }> = [];
/** Starts under way: Ctrl-C waits for them, so that what they start is stopped too. */
const starting = new Set<Promise<unknown>>();
let interrupted = false;
let stopping: Promise<void> | undefined;

/** Waits for a start and registers how to stop what it started (last started, first stopped). */
async function started<T>(what: string, start: Promise<T>, stop: (started: T) => Promise<void>): Promise<T> {
  const registered = start.then((value) => {
    cleanups.push({ what, stop: () => stop(value) });
    return value;
  });
  starting.add(registered);
  try {
    const value = await registered;
    if (interrupted) throw new Error("interrupted");
    return value;
  } finally {
    starting.delete(registered);
  }
}

function cleanUp(): Promise<void> {
  return (stopping ??= (async () => {
    for (let c = cleanups.pop(); c; c = cleanups.pop()) {
      const { what, stop } = c;
      await stop().catch((err: unknown) => progress(`stopping ${what} failed: ${String(err)}`));
    }
  })());
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    interrupted = true;
    progress(`${signal}: stopping everything`);
    void Promise.allSettled([...starting])
      .then(cleanUp)
      .finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  });
}

// ── Start-up ──────────────────────────────────────────────

/**
 * The venv and `next build` when sources changed, in a child whose output goes to stderr: both
 * write to their standard output, which must hold nothing but the JSON.
 */
function prepare() {
  const code = [
    `const { ensureVenv } = require("./infra/local");`,
    `const { ensureBuild } = require("./scripts/lib/console");`,
    `ensureVenv((line) => console.error(line));`,
    `ensureBuild((line) => console.error(line));`,
  ].join("\n");
  const result = spawnSync(process.execPath, ["--import", "tsx", "--eval", code], {
    cwd: projectRoot,
    stdio: ["ignore", 2, 2],
  });
  if (result.status !== 0)
    throw new Error(`preparing the venv and the build failed (exit ${result.status ?? result.signal})`);
}

// ── Viewers ───────────────────────────────────────────────

/** The `name=value` pairs a response sets, as a Cookie header. */
const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");

/** Signs in through next-auth's credentials flow, as the login form does; returns the session cookie. */
async function signIn(base: string, username: string, password: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  if (!csrf.ok) throw new Error(`GET /api/auth/csrf: HTTP ${csrf.status}`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf) },
    body: new URLSearchParams({ csrfToken, username, password, callbackUrl: `${base}/topology`, json: "true" }),
  });
  await res.arrayBuffer();
  const session = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .filter((c) => /^next-auth\.session-token(\.\d+)?=/.test(c));
  if (session.length === 0)
    throw new Error(
      `signing in as ${username} set no session cookie (HTTP ${res.status}, location ${res.headers.get("location")})`,
    );
  return session.join("; ");
}

interface Sample {
  route: Route;
  ms: number;
  /** 0: no answer. */
  status: number;
  error?: string;
}

async function poll(base: string, route: Route, urlPath: string, cookie: string): Promise<Sample> {
  const began = performance.now();
  try {
    const res = await fetch(`${base}${urlPath}`, {
      headers: { accept: "application/json", cookie },
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const body = await res.text();
    const sample: Sample = { route, ms: performance.now() - began, status: res.status };
    return res.ok ? sample : { ...sample, error: body.slice(0, 200) };
  } catch (err) {
    return {
      route,
      ms: performance.now() - began,
      status: 0,
      error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    };
  }
}

/**
 * Each viewer polls every route from a random start within its interval, then every interval, as
 * react-query's refetchInterval does: a tick while the previous request is still out is skipped.
 * Returns when the phase is over and every request has answered.
 */
async function runViewers(base: string, cookies: string[], durationMs: number) {
  const samples: Sample[] = [];
  const inFlight = new Set<Promise<void>>();
  let skipped = 0;
  const timers: NodeJS.Timeout[] = [];
  const began = performance.now();
  for (const cookie of cookies) {
    for (const { route, path: urlPath, everyMs } of polls) {
      let busy = false;
      for (let at = Math.random() * everyMs; at < durationMs; at += everyMs) {
        timers.push(
          setTimeout(() => {
            if (busy) {
              skipped++;
              return;
            }
            busy = true;
            const request = poll(base, route, urlPath, cookie).then((sample) => {
              samples.push(sample);
              busy = false;
              inFlight.delete(request);
            });
            inFlight.add(request);
          }, at),
        );
      }
    }
  }
  await new Promise((r) => setTimeout(r, durationMs));
  timers.forEach(clearTimeout);
  while (inFlight.size) await Promise.all(inFlight);
  return { samples, skipped, elapsedMs: performance.now() - began };
}

/** Nearest-rank percentile. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summarize(samples: Sample[]) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    requests: samples.length,
    p50Ms: Math.round(percentile(ms, 50)),
    p95Ms: Math.round(percentile(ms, 95)),
    maxMs: Math.round(ms.at(-1) ?? NaN),
    errors: samples.filter((s) => s.status < 200 || s.status > 299).length,
  };
}

// ── The run ───────────────────────────────────────────────

async function main() {
  const workDir = mkdtempSync(path.join(os.tmpdir(), "fanout-bench-load-"));
  const logFile = path.join(workDir, "servers.log");
  const log = createWriteStream(logFile);
  let succeeded = false;
  try {
    progress(`${viewers} viewers for ${seconds} s after one viewer for ${seconds} s; servers' log: ${logFile}`);
    prepare();

    const motoPort = await findFreePort();
    const moto = await started("moto", startMoto({ port: motoPort, logTo: log }), (m) => m.stop());
    const proxy = await started("the counting proxy", startFaultProxy(moto.endpoint), (p) => p.close());
    progress(`moto on ${moto.endpoint}, the console's calls counted through ${proxy.url}`);

    const pipeline = await startPipelineProcess(moto.endpoint, log, {
      traffic: true,
      onSpawn: (stop) => cleanups.push({ what: "the pipeline", stop }),
    });
    progress(
      `pipeline ${pipeline.info.environment} deployed with live traffic; Lambda API on ${pipeline.info.lambdaEndpoint}`,
    );

    const dataDir = path.join(workDir, "data");
    const username = "bench-viewer";
    const password = randomBytes(12).toString("base64url");
    mkdirSync(dataDir);
    writeFileSync(
      path.join(dataDir, "users.json"),
      JSON.stringify([{ username, role: "viewer", passwordHash: bcrypt.hashSync(password, 10) }]),
    );
    const port = await findFreePort();
    const server = await started(
      "the console",
      startConsole({
        host: "127.0.0.1",
        port,
        logTo: log,
        env: localConsoleEnv({ port, awsEndpoint: proxy.url, lambdaEndpoint: pipeline.info.lambdaEndpoint, dataDir }),
      }),
      (s) => s.stop(),
    );
    const base = server.url;
    progress(`console on ${base}`);

    // Every viewer signs in for itself, a few at a time (not measured).
    const cookies: string[] = new Array(viewers);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(5, viewers) }, async () => {
        while (next < viewers) {
          const i = next++;
          cookies[i] = await signIn(base, username, password);
        }
      }),
    );
    progress(`${viewers} viewer sessions signed in`);

    // What one request costs in AWS calls, measured alone; it also warms the routes up.
    let before = proxy.requests;
    const topology = await poll(base, "topology", "/api/topology?fresh=1", cookies[0]!);
    const topologyCalls = proxy.requests - before;
    before = proxy.requests;
    const sla = await poll(base, "sla", "/api/sla?window=1h", cookies[0]!);
    const slaCalls = proxy.requests - before;
    for (const s of [topology, sla])
      if (s.status !== 200) throw new Error(`warm-up GET ${s.route}: HTTP ${s.status} ${s.error ?? ""}`);
    progress(
      `one topology collection: ${topologyCalls} AWS calls (${Math.round(topology.ms)} ms); one ` +
        `SLA request with the topology cached: ${slaCalls} AWS calls (${Math.round(sla.ms)} ms)`,
    );

    const phase = async (name: string, sessions: string[]) => {
      // Each phase starts with the console's shared answers expired (they live under 30 s), so
      // neither is helped by what the one before it read.
      progress(`phase ${name}: waiting 30 s for the console's shared answers to expire…`);
      await new Promise((resolve) => setTimeout(resolve, 30_000));
      progress(`phase ${name}: ${sessions.length} viewer(s) for ${seconds} s…`);
      const callsBefore = proxy.requests;
      const run = await runViewers(base, sessions, seconds * 1000);
      const calls = proxy.requests - callsBefore;
      const perMinute = Number(((calls * 60_000) / run.elapsedMs).toFixed(1));
      const all = summarize(run.samples);
      const byRoute = Object.fromEntries(
        polls.map(({ route }) => [route, summarize(run.samples.filter((s) => s.route === route))]),
      );
      progress(
        `phase ${name}: ${calls} AWS calls in ${(run.elapsedMs / 1000).toFixed(1)} s = ` +
          `${perMinute}/min; ${JSON.stringify({ ...all, skippedTicks: run.skipped, byRoute })}`,
      );
      const failures = run.samples.filter((s) => s.error);
      for (const f of failures.slice(0, 5)) progress(`  ${f.route}: ${f.status || "no answer"} ${f.error}`);
      if (failures.length > 5) progress(`  … and ${failures.length - 5} more failures`);
      return { ...all, perMinute, slaRequests: byRoute.sla!.requests, topologyRequests: byRoute.topology!.requests };
    };
    const one = await phase("A", cookies.slice(0, 1));
    const many = await phase("B", cookies);
    if (many.perMinute > one.perMinute * 1.5) {
      progress(
        `AWS calls grew ${(many.perMinute / one.perMinute).toFixed(1)}× with ${viewers} ` +
          `viewers (${many.slaRequests} SLA and ${many.topologyRequests} topology ` +
          `requests in phase B, one SLA request costing about ${slaCalls} calls alone)`,
      );
    }

    console.log(
      JSON.stringify({
        requests: many.requests,
        p50Ms: many.p50Ms,
        p95Ms: many.p95Ms,
        errors: many.errors,
        awsCallsPerMinute: many.perMinute,
        awsCallsPerMinuteOneViewer: one.perMinute,
        ratio: Number((many.perMinute / one.perMinute).toFixed(2)),
        viewers,
        seconds,
      }),
    );
    succeeded = true;
  } finally {
    await cleanUp();
    await new Promise((r) => log.end(r));
    if (succeeded) rmSync(workDir, { recursive: true, force: true });
    else progress(`kept the servers' log: ${logFile}`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    if (!interrupted) console.error(err);
    process.exit(1);
  },
);
