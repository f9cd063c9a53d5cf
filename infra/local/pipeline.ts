import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { XRayClient } from "@aws-sdk/client-xray";
import { defaultAccountCredentials, type TemporaryCredentials } from "./accounts/accounts";
import { routeLambdaRequests } from "./emulator/moto";
import { startAlarmEvaluator } from "./telemetry/alarms";
import { deployTemplate, localParameters, translateTemplate, type Deployment } from "./deploy/deploy";
import { LocalLambda, startLambdaApi } from "./lambda/lambda-service";
import { startFailureLog } from "./lambda/failure-log";
import { startPoller } from "./lambda/poller";
import { startTelemetry } from "./telemetry/telemetry";
import { LocalTracer, recordFailureOf } from "./tracing/tracing";
import type { RecordFailure } from "./tracing/trace-segments";
import {
  createOrderStream,
  defaultTraffic,
  isDeliberatePoisonError,
  publishOrderEvent,
  type GeneratedEvent,
  type PublishedEvent,
  type TrafficOptions,
} from "./traffic/traffic";

/**
 * The pipeline running on this machine: the template deployed to the local endpoint, the local
 * Lambda service and its poller, the telemetry and alarm evaluation AWS would do by itself, X-Ray
 * traces, and (optionally) live traffic. Used by `npm run demo` and by the integration tests.
 */

export interface LocalPipelineOptions {
  awsEndpoint: string;
  /** Port of the local Lambda API; 0 picks a free one. */
  lambdaPort: number;
  region?: string;
  /**
   * What every client of the pipeline signs with, and so the account it is deployed to and runs in
   * (assumedRoleCredentials for another account); moto's default account when left out.
   */
  credentials?: TemporaryCredentials | (() => Promise<TemporaryCredentials>);
  /**
   * Whether clients of `awsEndpoint` reach the pipeline's Lambda service there too, for its account
   * and region (routeLambdaRequests). Off where several pipelines share an account and region
   * (parallel tests), and where clients call the Lambda API's own endpoint.
   */
  lambdaOnAwsEndpoint?: boolean;
  /** Template parameters over the local set (localParameters). */
  parameters?: Record<string, string>;
  traffic?: TrafficOptions | false;
  telemetryIntervalMs?: number;
  alarmIntervalMs?: number;
  traceSampleRate?: number;
  /** How often the failures of deliberate poison are summed up in the log (30 s); others are logged at once. */
  poisonSummaryIntervalMs?: number;
  log?: (component: string, line: string) => void;
}

export interface LocalPipeline {
  /** Where the pipeline runs: the account of its credentials, and its region. */
  accountId: string;
  region: string;
  lambdaEndpoint: string;
  deployment: Deployment;
  lambda: LocalLambda;
  topicArn: string;
  /** Publishes one generated event as the traffic generator would. */
  publish(generated: GeneratedEvent): Promise<PublishedEvent>;
  flushTelemetry(): Promise<void>;
  evaluateAlarms(): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  const region = options.region ?? "us-east-1";
  const log = options.log ?? (() => {});
  const common = {
    region,
    endpoint: options.awsEndpoint,
    credentials: options.credentials ?? defaultAccountCredentials,
  };
  const sns = new SNSClient(common);
  const sqs = new SQSClient({ ...common, useQueueUrlAsEndpoint: false });
  // The SDK gzips PutMetricData bodies over 10 KB, which moto 5.2.3 fails to decompress (HTTP 500).
  const cloudwatch = new CloudWatchClient({ ...common, disableRequestCompression: true });
  const xray = new XRayClient(common);
  const cloudformation = new CloudFormationClient(common);
  const { Account: accountId } = await new STSClient(common).send(new GetCallerIdentityCommand({}));

  const lambda = new LocalLambda(region, accountId!);
  const template = translateTemplate();
  const deployment = await deployTemplate(template, {
    clients: { sns, sqs, cloudwatch, cloudformation },
    lambda,
    region,
    accountId: accountId!,
    parameters: { ...localParameters, ...options.parameters },
    log: (line) => log("deploy", line),
  });
  const topic = Object.values(deployment.resources).find((r) => r.type === "AWS::SNS::Topic");
  if (!topic) throw new Error("the template has no SNS topic");
  log(
    "deploy",
    `deployed ${Object.keys(deployment.resources).length} resources of infra/template.yaml as ${deployment.environmentName}`,
  );

  // Handlers' warnings and errors (each failed record) reach the log; their routine lines do not.
  // A failed record's line also goes into its invocation's trace.
  const recordFailures = new Map<string, RecordFailure[]>();
  const failureLog = startFailureLog({
    log,
    intervalMs: options.poisonSummaryIntervalMs ?? 30_000,
    isExpected: (failure) => isDeliberatePoisonError(failure.error.message),
  });
  lambda.on("log", (line) => {
    if (line.level === "info") return;
    const failure = recordFailureOf(line.text, Date.now());
    if (!failure) {
      log(`fn ${line.functionName}`, line.text);
      return;
    }
    failureLog.report(line.functionName, failure);
    recordFailures.set(line.requestId, [...(recordFailures.get(line.requestId) ?? []), failure]);
  });
  const api = await startLambdaApi(lambda, options.lambdaPort);
  const unrouteLambda = options.lambdaOnAwsEndpoint
    ? await routeLambdaRequests(options.awsEndpoint, { accountId: accountId!, region, lambdaEndpoint: api.url })
    : undefined;
  log(
    "lambda",
    `Lambda API on ${api.url}${unrouteLambda ? ` and on ${options.awsEndpoint} for ${accountId} ${region}` : ""}: ${lambda
      .listFunctions()
      .map((f) => f.FunctionName)
      .join(", ")}`,
  );

  const tracer = new LocalTracer(xray, {
    region,
    sampleRate: options.traceSampleRate ?? 1,
    onError: (err) => log("xray", `PutTraceSegments failed: ${String(err)}`),
  });
  const poller = startPoller({
    lambda,
    sqs,
    region,
    onBatch: (outcome) => {
      const failures = recordFailures.get(outcome.invocation.requestId) ?? [];
      recordFailures.delete(outcome.invocation.requestId);
      tracer.recordBatch(outcome, lambda.findFunction(outcome.mapping.FunctionArn).configuration, failures);
      if (outcome.invocation.error)
        log(
          `fn ${outcome.invocation.functionName}`,
          `invocation failed: ${outcome.invocation.error.errorType}: ${outcome.invocation.error.errorMessage}`,
        );
    },
    onError: (mapping, err) => log("poller", `${mapping.EventSourceArn}: ${String(err)}`),
  });
  const telemetry = startTelemetry({
    cloudwatch,
    lambda,
    awsEndpoint: options.awsEndpoint,
    owner: { accountId: accountId!, region },
    intervalMs: options.telemetryIntervalMs,
    onError: (err) => log("telemetry", String(err)),
  });
  const alarms = startAlarmEvaluator({
    cloudwatch,
    intervalMs: options.alarmIntervalMs,
    log: (line) => log("alarms", line),
    onError: (err) => log("alarms", String(err)),
  });

  const publish = async (generated: GeneratedEvent) => {
    // The storefront annotates its segment with what it published, so traces can be found by order.
    const trace = tracer.beginPublish(topic.physicalId, {
      order_id: generated.event.orderId,
      event_type: generated.event.type,
    });
    try {
      const published = await publishOrderEvent(sns, topic.physicalId, generated, trace.header);
      trace.finish({ messageId: published.messageId });
      return published;
    } catch (err) {
      trace.finish({ error: err instanceof Error ? err : new Error(String(err)) });
      throw err;
    }
  };

  let trafficTimer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();
  if (options.traffic !== false) {
    const traffic = options.traffic ?? defaultTraffic;
    const next = createOrderStream(Math.random, traffic);
    let sent = 0;
    trafficTimer = setInterval(() => {
      inFlight = publish(next())
        .then(() => {
          if (++sent % 100 === 0) log("traffic", `${sent} events published`);
        })
        .catch((err: unknown) => log("traffic", `publish failed: ${String(err)}`));
    }, 1000 / traffic.rate);
    log(
      "traffic",
      `publishing ${traffic.rate} events/s, ${Math.round(traffic.poisonShare * 100)} % poison, ${Math.round(traffic.testShare * 100)} % test traffic`,
    );
  }

  return {
    accountId: accountId!,
    region,
    lambdaEndpoint: api.url,
    deployment,
    lambda,
    topicArn: topic.physicalId,
    publish,
    flushTelemetry: () => telemetry.flush(),
    evaluateAlarms: () => alarms.evaluateNow(),
    async stop() {
      clearInterval(trafficTimer);
      await inFlight;
      await poller.stop();
      await telemetry.stop();
      await alarms.stop();
      await unrouteLambda?.();
      await api.close();
      failureLog.stop();
    },
  };
}
