import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Writable } from "node:stream";
import { startLogged, waitUntil, type LoggedProcess } from "./processes";
import { projectRoot } from "./project-root";

const buildInputs =
  /^(app|components|lib|public)\/|^(next\.config\.(js|ts)|package-lock\.json|tsconfig\.json|proxy\.ts|instrumentation\.ts)$/;
const stampFile = path.join(projectRoot, ".next/fanout-build-hash");
const nextBin = path.join(projectRoot, "node_modules/.bin/next");

/** A hash of every file the production build reads, or undefined when git cannot list them. */
function sourceHash(): string | undefined {
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: projectRoot,
    encoding: "utf8",
  });
  if (listed.status !== 0) return undefined;
  const hash = createHash("sha256");
  for (const file of listed.stdout
    .split("\0")
    .filter((f) => buildInputs.test(f))
    .sort()) {
    if (!existsSync(path.join(projectRoot, file))) continue;
    hash
      .update(file)
      .update("\0")
      .update(readFileSync(path.join(projectRoot, file)))
      .update("\0");
  }
  return hash.digest("hex");
}

/** Runs `next build` unless the last build was made from exactly these sources. */
export function ensureBuild(log: (line: string) => void = console.log): void {
  const hash = sourceHash();
  if (
    hash &&
    existsSync(stampFile) &&
    readFileSync(stampFile, "utf8") === hash &&
    existsSync(path.join(projectRoot, ".next/BUILD_ID"))
  ) {
    log("[build] the console is already built from these sources");
    return;
  }
  log("[build] building the console (next build)…");
  const started = Date.now();
  const result = spawnSync(nextBin, ["build"], {
    cwd: projectRoot,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed; see its output above.");
  if (hash) writeFileSync(stampFile, hash);
  log(`[build] built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

export interface RunningConsole {
  url: string;
  process: LoggedProcess;
  stop(): Promise<void>;
}

/**
 * What a built console needs to run against a local endpoint (moto, perhaps behind a proxy) and
 * the local pipeline's Lambda API, isolated from the caller's environment (a test's or a bench's).
 */
export function localConsoleEnv(o: {
  port: number;
  awsEndpoint: string;
  lambdaEndpoint: string;
  dataDir: string;
}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    AWS_ENDPOINT_URL: o.awsEndpoint,
    AWS_ENDPOINT_URL_LAMBDA: o.lambdaEndpoint,
    AWS_REGION: "us-east-1",
    FANOUT_LOCAL_AWS_NAME: "moto",
    PORT: String(o.port),
    NEXTAUTH_URL: `http://127.0.0.1:${o.port}`,
    FANOUT_DATA_DIR: o.dataDir,
  };
}

/**
 * Starts `next start` on host:port with the given environment and waits until /api/health answers.
 * The console handles SIGTERM and SIGINT itself (NEXT_MANUAL_SIG_HANDLE): it hands back its redrive
 * jobs, leased letters and leader lease before it exits (instrumentation.ts).
 */
export async function startConsole(options: {
  host: string;
  port: number;
  env: NodeJS.ProcessEnv;
  logTo?: Writable;
}): Promise<RunningConsole> {
  const { host, port } = options;
  const server = startLogged("console", nextBin, ["start", "-H", host, "-p", String(port)], {
    cwd: projectRoot,
    env: { ...options.env, NEXT_TELEMETRY_DISABLED: "1", NEXT_MANUAL_SIG_HANDLE: "1" },
    logTo: options.logTo,
  });
  const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;
  try {
    await waitUntil(`the console on ${url}`, async () => (await fetch(`${url}/api/health`)).ok, {
      timeoutMs: 60_000,
      process: server,
    });
  } catch (err) {
    await server.stop();
    throw err;
  }
  return { url, process: server, stop: () => server.stop() };
}
