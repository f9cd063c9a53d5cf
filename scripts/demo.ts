/**
 * `npm run demo`: the console on an embedded local AWS with the pipeline running in two
 * environments. Starts moto; in each environment of scripts/lib/demo-environments.ts (production in
 * moto's default account, staging in another account and region) creates the role the console
 * assumes, deploys infra/template.yaml with that role's credentials and starts the local Lambda
 * service with its poller, telemetry, alarm evaluation, traces and live traffic; writes the
 * environments file; builds the console if its sources changed, starts it, and prints the URL and
 * the logins. Ctrl-C stops everything it started.
 *
 * Ports: the console on PORT (3000), moto on FANOUT_LOCAL_AWS_PORT (4566), which also passes each
 * account's Lambda requests on to its local Lambda service (on a free port). The logins' passwords
 * are in the data dir's demo-passwords.txt, whose path is printed in the banner and again every
 * FANOUT_DEMO_REMINDER_SECONDS (300; 0: never).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { resolveAlertsWebhookSecret, resolveAuthSecret } from "../lib/auth/secret";
import { ConfigError, loadConfig } from "../lib/env";
import { defaultLocalAwsPort, quietMotoLog, startMoto, type LocalAws, type LocalPipeline } from "../infra/local";
import { isPortInUse } from "./lib/processes";
import { projectRoot } from "./lib/project-root";
import { ensureBuild, startConsole, type RunningConsole } from "./lib/console";
import { demoEnvironments, startDemoEnvironment, writeEnvironmentsFile } from "./lib/demo-environments";
import { startDemoAlertReceiver, type DemoAlertReceiver } from "./lib/demo-alert-receiver";
import { describeLogin, ensureDemoUsers, type DemoUsers } from "./lib/demo-users";
import { formatElapsed, startedAtFrom, startedAtVariable } from "./lib/elapsed";

function wholeNumberFrom(
  variable: string,
  fallback: number,
  range: { min: number; max: number; what: string },
): number {
  const text = process.env[variable];
  const value = text ? Number(text) : fallback;
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    console.error(`${variable}="${text}" is not ${range.what}: use a whole number from ${range.min} to ${range.max}.`);
    process.exit(2);
  }
  return value;
}

const portFrom = (variable: string, fallback: number) =>
  wholeNumberFrom(variable, fallback, { min: 1, max: 65535, what: "a TCP port" });

/** What the banner says about signing in, and the reminder line that keeps the passwords' file findable. */
function loginLines(url: string, users: { fromVariable: string[] } | DemoUsers) {
  if ("fromVariable" in users)
    return { banner: [`Logins: from FANOUT_USERS (${users.fromVariable.join(", ")})`], reminder: `Fanout at ${url}` };
  const names = users.logins.map(describeLogin).join(", ");
  if (!users.passwordsFile)
    return {
      banner: [
        `Logins: ${names}. Their passwords were shown when they were made and are not kept.`,
        "  New ones: npm run demo -- --reset-users",
      ],
      reminder: `Fanout at ${url}; new passwords: npm run demo -- --reset-users`,
    };
  return {
    banner: [
      `Logins: ${names}; ${users.created ? "new passwords" : "passwords"} in (readable by you alone):`,
      `  ${users.passwordsFile}`,
    ],
    reminder: `Fanout at ${url}; passwords in ${users.passwordsFile}`,
  };
}

// The demo's traffic fails on purpose; a line per failed attempt would bury the banner.
const poisonSummaryMs = 30_000;

async function main() {
  const ownStart = Math.round(performance.timeOrigin);
  const started = startedAtFrom(process.env[startedAtVariable], Date.now(), ownStart);
  const startedBy = started === ownStart ? "this script" : "npm run demo";
  const resetUsers = process.argv.includes("--reset-users");
  const port = portFrom("PORT", 3000);
  const awsPort = portFrom("FANOUT_LOCAL_AWS_PORT", defaultLocalAwsPort);
  const reminderSeconds = wholeNumberFrom("FANOUT_DEMO_REMINDER_SECONDS", 300, {
    min: 0,
    max: 86_400,
    what: "a number of seconds",
  });
  if (port === awsPort) {
    console.error(`PORT (${port}) must differ from FANOUT_LOCAL_AWS_PORT (${awsPort}).`);
    process.exit(2);
  }
  for (const [what, p] of [
    ["PORT", port],
    ["FANOUT_LOCAL_AWS_PORT", awsPort],
  ] as const) {
    if (await isPortInUse(p)) {
      console.error(
        `Port ${p} (${what}) is already in use (another demo?). Start this one with PORT=<free port> FANOUT_LOCAL_AWS_PORT=<free port> npm run demo.`,
      );
      process.exit(2);
    }
  }

  const awsEndpoint = `http://127.0.0.1:${awsPort}`;
  const dataDir = path.resolve(process.env.FANOUT_DATA_DIR ?? path.join(projectRoot, ".fanout"));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const [defaultEnvironment] = demoEnvironments;
  // Everything the console is told, in one place. Every service of every environment, Lambda
  // included, is on moto's endpoint; the unscoped pages act on the default environment's account
  // (moto's default) and region.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ENDPOINT_URL: awsEndpoint,
    AWS_REGION: defaultEnvironment!.region,
    FANOUT_ENVIRONMENTS: writeEnvironmentsFile(dataDir, awsEndpoint),
    FANOUT_LOCAL_AWS_NAME: "moto",
    // The demo events carry a customer id: masked, so the reveal-and-audit flow can be tried.
    FANOUT_MASK_FIELDS: process.env.FANOUT_MASK_FIELDS ?? "customerId",
    PORT: String(port),
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://127.0.0.1:${port}`,
    FANOUT_DATA_DIR: dataDir,
  };
  // On PostgreSQL (FANOUT_DATABASE_URL) the console wants the session secret every replica shares:
  // the demo gives it the one it keeps in its data dir.
  if (env.FANOUT_DATABASE_URL && !env.NEXTAUTH_SECRET) env.NEXTAUTH_SECRET = resolveAuthSecret({ dataDir });
  // One left in the shell (the demo used to set it) would take Lambda away from moto's endpoint.
  delete env.AWS_ENDPOINT_URL_LAMBDA;
  // Without a webhook of the user's, alerts go to the demo's own receiver, which prints them here.
  let alertReceiver: DemoAlertReceiver | undefined;
  if (!env.FANOUT_ALERTS_WEBHOOK) {
    const alertsSecret = resolveAlertsWebhookSecret({ alertsWebhookSecret: env.FANOUT_ALERTS_WEBHOOK_SECRET, dataDir });
    alertReceiver = await startDemoAlertReceiver(alertsSecret, (line) => console.log(`[alerts] ${line}`));
    env.FANOUT_ALERTS_WEBHOOK = alertReceiver.url;
    // Replicas on PostgreSQL must be told the key they all sign with.
    env.FANOUT_ALERTS_WEBHOOK_SECRET = alertsSecret;
  }
  let config;
  try {
    config = loadConfig(env);
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(2);
  }
  if (!config.localMode) {
    console.error(
      "The demo runs against its own local AWS, but an AWS_ENDPOINT_URL_<SERVICE> variable points elsewhere. Unset it and retry.",
    );
    process.exit(2);
  }

  let moto: LocalAws | undefined;
  let pipelines: LocalPipeline[] = [];
  let server: RunningConsole | undefined;
  let reminder: NodeJS.Timeout | undefined;
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    clearInterval(reminder);
    console.log("\n[demo] stopping…");
    await server?.stop();
    await Promise.all(pipelines.map((pipeline) => pipeline.stop()));
    await moto?.stop();
    await alertReceiver?.close();
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  try {
    moto = await startMoto({ port: awsPort, keepLine: quietMotoLog });
    console.log(`[demo] local AWS (moto) answering on ${awsEndpoint}`);
    const starts = await Promise.allSettled(
      demoEnvironments.map((environment) =>
        startDemoEnvironment(awsEndpoint, environment, {
          poisonSummaryIntervalMs: poisonSummaryMs,
          log: (component, line) => console.log(`[${environment.id} ${component}] ${line}`),
        }),
      ),
    );
    pipelines = starts.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    const failed = starts.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    // The pipeline's unfiltered tap queue feeds the console's "recent events"; it has the same name
    // in every environment.
    env.FANOUT_TAP_QUEUE ??= pipelines[0]!.deployment.outputs.TapQueueName;
    ensureBuild();
    server = await startConsole({ host: "127.0.0.1", port, env });
  } catch (err) {
    console.error(`[demo] ${err instanceof Error ? err.message : err}`);
    await stopAll(1);
    return;
  }
  // The console process may die later (a crash, a killed PID): take the rest down with it.
  void server.process.exited.then((code) => void stopAll(code ?? 1));
  void moto.process.exited.then(() => void stopAll(1));

  const logins = loginLines(
    server.url,
    config.users
      ? { fromVariable: config.users.map((u) => `${u.username} (${u.role})`) }
      : ensureDemoUsers(config.dataDir, resetUsers),
  );
  const lines = [
    `Fanout is running at ${server.url}  (ready in ${formatElapsed(Date.now() - started)}, counted from the start of ${startedBy})`,
    `Local AWS: moto at ${awsEndpoint}, every account's Lambda included; pipeline "${pipelines[0]!.deployment.environmentName}" with live traffic in`,
    ...demoEnvironments.map(
      (e) =>
        `  ${e.id.padEnd(11)}account ${e.accountId}, ${e.region}: ${e.traffic.rate} events/s, ` +
        `${Math.round(e.traffic.poisonShare * 100)} % poison`,
    ),
    `  The console reaches each through sts:AssumeRole; its environments file: ${env.FANOUT_ENVIRONMENTS}`,
    `  Its poison messages fail on purpose: their failures are summed up every ${formatElapsed(poisonSummaryMs)}; any other failure is shown at once.`,
    alertReceiver
      ? `Alerts: printed here ([alerts]) as the console sends them to the demo's receiver, and listed at ${server.url}/alerts`
      : `Alerts: sent to FANOUT_ALERTS_WEBHOOK, and listed at ${server.url}/alerts`,
    ...logins.banner,
    reminderSeconds
      ? `Press Ctrl-C to stop. The URL and where the logins are come back every ${formatElapsed(reminderSeconds * 1000)}.`
      : "Press Ctrl-C to stop.",
  ];
  console.log(["", ...lines, ""].join("\n"));
  if (reminderSeconds) reminder = setInterval(() => console.log(`[demo] ${logins.reminder}`), reminderSeconds * 1000);
}

void main();
