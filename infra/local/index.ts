/**
 * The local AWS's public entry: what the repository's scripts, tests, end-to-end setup and benches
 * use. Code outside infra/local imports this module only (test/import-rules.test.ts), so the
 * subsystems behind it can be reorganised without touching their users.
 */
export { defaultLocalAwsPort, quietMotoLog, startMoto, type LocalAws } from "./emulator/moto";
export { ensureVenv, venvBin } from "./emulator/venv";
export {
  assumedRoleCredentials,
  createAssumableRole,
  defaultAccountCredentials,
  defaultAccountId,
  type TemporaryCredentials,
} from "./accounts/accounts";
export { startLocalPipeline, type LocalPipeline, type LocalPipelineOptions } from "./pipeline";
export { LocalLambda, startLambdaApi } from "./lambda/lambda-service";
export {
  MetricBuffer,
  readEmulatorState,
  recordEmulatorMetrics,
  recordInvocationMetrics,
  type EmulatorState,
} from "./telemetry/telemetry";
export { LocalTracer } from "./tracing/tracing";
export { consumerTrace, newTraceId, producerTrace, type SegmentDocument } from "./tracing/trace-segments";
export {
  createOrderStream,
  defaultTraffic,
  publishOrderEvent,
  type PublishedEvent,
  type TrafficOptions,
} from "./traffic/traffic";
