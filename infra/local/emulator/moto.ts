import type { Writable } from "node:stream";
import { isPortInUse, startLogged, waitUntil, type LoggedProcess } from "../../../scripts/lib/processes";
import path from "node:path";
import { projectRoot } from "../../../scripts/lib/project-root";
import { ensureVenv, venvBin } from "./venv";

/** The conventional local AWS port (LocalStack's), overridable with FANOUT_LOCAL_AWS_PORT. */
export const defaultLocalAwsPort = 4566;

export interface LocalAws {
  endpoint: string;
  port: number;
  process: LoggedProcess;
  stop(): Promise<void>;
}

/** moto logs every request; in a terminal only the failed ones (HTTP 5xx) are worth a line. */
export const quietMotoLog = (line: string) =>
  !/"[A-Z]+ \S+ HTTP\/1\.[01]" [1-4]\d\d -/.test(line.replace(/\x1b\[[0-9;]*m/g, ""));

/**
 * Starts moto server on 127.0.0.1:port from the project venv and waits until it answers.
 * Lambda's Docker mode is switched off before any function exists: there is no Docker here, and
 * functions run in the project's own local runner instead.
 */
export async function startMoto(options: {
  port: number;
  logTo?: Writable;
  keepLine?: (line: string) => boolean;
}): Promise<LocalAws> {
  const { port } = options;
  if (await isPortInUse(port)) {
    throw new Error(`Port ${port} on 127.0.0.1 is already in use; set FANOUT_LOCAL_AWS_PORT to a free port.`);
  }
  ensureVenv();
  const endpoint = `http://127.0.0.1:${port}`;
  // moto with the AWS behaviour it lacks added (trace propagation, delivery counts): see moto_server.py.
  const launcher = path.join(projectRoot, "infra/local/emulator/moto_server.py");
  const moto = startLogged("moto", venvBin("python"), [launcher, "-H", "127.0.0.1", "-p", String(port)], {
    logTo: options.logTo,
    keepLine: options.keepLine,
  });
  try {
    await waitUntil(`moto on ${endpoint}`, async () => (await fetch(`${endpoint}/moto-api/`)).ok, {
      timeoutMs: 30_000,
      process: moto,
    });
    const configured = await fetch(`${endpoint}/moto-api/config`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ lambda: { use_docker: false } }),
    });
    if (!configured.ok) throw new Error(`moto refused its configuration (HTTP ${configured.status})`);
  } catch (err) {
    await moto.stop();
    throw err;
  }
  return { endpoint, port, process: moto, stop: () => moto.stop() };
}

/** A local Lambda service and the account and region it serves. */
export interface LambdaRoute {
  accountId: string;
  region: string;
  lambdaEndpoint: string;
}

async function changeLambdaRoute(awsEndpoint: string, method: "PUT" | "DELETE", route: LambdaRoute) {
  const answer = await fetch(`${awsEndpoint}/_fanout/lambda-services/${route.accountId}/${route.region}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ endpoint: route.lambdaEndpoint }),
  });
  if (!answer.ok)
    throw new Error(
      `${awsEndpoint} refused to ${method === "PUT" ? "route" : "stop routing"} Lambda requests for ` +
        `${route.accountId} ${route.region} (HTTP ${answer.status}); start it with infra/local/emulator/moto_server.py`,
    );
}

/**
 * Makes the endpoint pass Lambda requests signed for the route's account and region on to a local
 * Lambda service (moto_server.py, section 4), so that one endpoint serves every service of that
 * account, as an environment's `endpoint` expects. Returns how to undo it.
 */
export async function routeLambdaRequests(awsEndpoint: string, route: LambdaRoute): Promise<() => Promise<void>> {
  await changeLambdaRoute(awsEndpoint, "PUT", route);
  return () => changeLambdaRoute(awsEndpoint, "DELETE", route);
}
