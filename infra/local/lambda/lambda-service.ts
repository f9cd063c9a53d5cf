import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { projectRoot } from "../../../scripts/lib/project-root";

/**
 * The Lambda service of the local run: the part of the Lambda API the console and the deployer
 * use, served over HTTP like `sam local start-lambda`, and the invoker that runs a function's
 * handler module from `infra/functions/`. moto cannot run functions without Docker, and it would
 * consume mapped queues by itself inside SendMessage, so Lambda is served here instead
 * (selected with the SDK's standard `AWS_ENDPOINT_URL_LAMBDA`).
 *
 * Shapes follow the Lambda API reference (2015-03-31): FunctionConfiguration and
 * EventSourceMappingConfiguration with AWS's field names, errors as `x-amzn-errortype` plus
 * `{Type, Message}`.
 */

export interface FunctionConfiguration {
  FunctionName: string;
  FunctionArn: string;
  Runtime: string;
  Role: string;
  Handler: string;
  CodeSize: number;
  Description: string;
  Timeout: number;
  MemorySize: number;
  LastModified: string;
  CodeSha256: string;
  Version: "$LATEST";
  TracingConfig: { Mode: "Active" | "PassThrough" };
  Environment?: { Variables: Record<string, string> };
  State: "Active";
  LastUpdateStatus: "Successful";
  PackageType: "Zip";
  Architectures: string[];
}

export interface EventSourceMapping {
  UUID: string;
  EventSourceArn: string;
  FunctionArn: string;
  BatchSize: number;
  MaximumBatchingWindowInSeconds: number;
  FunctionResponseTypes: string[];
  ScalingConfig?: { MaximumConcurrency?: number };
  State: "Enabled" | "Disabled";
  StateTransitionReason: "USER_INITIATED";
  /** Epoch seconds, as the API returns it. */
  LastModified: number;
  LastProcessingResult: string;
}

export interface CreateFunctionInput {
  FunctionName: string;
  Runtime?: string;
  Role: string;
  Handler: string;
  Timeout?: number;
  MemorySize?: number;
  Description?: string;
  TracingConfig?: { Mode?: "Active" | "PassThrough" };
  Environment?: { Variables?: Record<string, string> };
  Tags?: Record<string, string>;
  /** The local code directory, relative to infra/, travels as the S3 key of a placeholder bucket. */
  Code: { S3Bucket?: string; S3Key?: string };
}

export interface CreateMappingInput {
  FunctionName: string;
  EventSourceArn: string;
  BatchSize?: number;
  MaximumBatchingWindowInSeconds?: number;
  FunctionResponseTypes?: string[];
  ScalingConfig?: { MaximumConcurrency?: number };
  Enabled?: boolean;
}

export interface InvocationError {
  errorType: string;
  errorMessage: string;
  stackTrace?: string[];
}

/** One finished invocation, for telemetry and traces. */
export interface InvocationRecord {
  functionName: string;
  functionArn: string;
  requestId: string;
  start: number;
  end: number;
  /** Concurrent invocations of this function when this one started, itself included. */
  concurrency: number;
  /** The payload the handler was given. */
  event: unknown;
  result?: unknown;
  error?: InvocationError;
}

/** A line a handler wrote to the console during an invocation (CloudWatch Logs, on AWS). */
export interface FunctionLogLine {
  functionName: string;
  requestId: string;
  level: "info" | "warn" | "error";
  text: string;
}

const invocationScope = new AsyncLocalStorage<{ lambda: LocalLambda; functionName: string; requestId: string }>();
let consoleCaptured = false;

/**
 * Lambda's runtime sends a handler's console output to the function's log stream; here the
 * lines written inside an invocation become `log` events of the LocalLambda that ran it, and
 * everything else reaches the console as usual.
 */
function captureHandlerConsole() {
  if (consoleCaptured) return;
  consoleCaptured = true;
  for (const [method, level] of [
    ["log", "info"],
    ["info", "info"],
    ["warn", "warn"],
    ["error", "error"],
  ] as const) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      const scope = invocationScope.getStore();
      if (!scope) return original(...args);
      const text = args
        .map((a) => (typeof a === "string" ? a : a instanceof Error ? (a.stack ?? a.message) : JSON.stringify(a)))
        .join(" ");
      // Listeners run outside the invocation, so what they print is not taken for the handler's.
      invocationScope.exit(() =>
        scope.lambda.emit("log", { functionName: scope.functionName, requestId: scope.requestId, level, text }),
      );
    };
  }
}

export class LambdaApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface LocalFunction {
  configuration: FunctionConfiguration;
  codeDir: string;
  tags: Record<string, string>;
}

type Handler = (event: unknown, context: Record<string, unknown>) => Promise<unknown>;

export class LocalLambda extends EventEmitter<{
  invocation: [InvocationRecord];
  mappings: [];
  log: [FunctionLogLine];
}> {
  private readonly functions = new Map<string, LocalFunction>();
  private readonly mappings = new Map<string, EventSourceMapping>();
  private readonly handlers = new Map<string, Promise<Handler>>();
  private readonly running = new Map<string, number>();

  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {
    super();
    captureHandlerConsole();
  }

  private functionArn(name: string) {
    return `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`;
  }

  /** Accepts a function name, ARN or partial ARN, as the API does. */
  findFunction(nameOrArn: string): LocalFunction {
    const name = nameOrArn.startsWith("arn:") ? (nameOrArn.split(":")[6] ?? "") : nameOrArn;
    const fn = this.functions.get(name);
    if (!fn)
      throw new LambdaApiError(404, "ResourceNotFoundException", `Function not found: ${this.functionArn(name)}`);
    return fn;
  }

  createFunction(input: CreateFunctionInput): FunctionConfiguration {
    if (!input.FunctionName || !input.Handler || !input.Role) {
      throw new LambdaApiError(400, "InvalidParameterValueException", "FunctionName, Handler and Role are required.");
    }
    if (this.functions.has(input.FunctionName)) {
      throw new LambdaApiError(409, "ResourceConflictException", `Function already exist: ${input.FunctionName}`);
    }
    const codeDir = input.Code.S3Key ?? "";
    const configuration: FunctionConfiguration = {
      FunctionName: input.FunctionName,
      FunctionArn: this.functionArn(input.FunctionName),
      Runtime: input.Runtime ?? "nodejs24.x",
      Role: input.Role,
      Handler: input.Handler,
      CodeSize: 0,
      Description: input.Description ?? "",
      Timeout: input.Timeout ?? 3,
      MemorySize: input.MemorySize ?? 128,
      LastModified: new Date().toISOString().replace("Z", "+0000"),
      CodeSha256: "",
      Version: "$LATEST",
      TracingConfig: { Mode: input.TracingConfig?.Mode ?? "PassThrough" },
      ...(input.Environment?.Variables ? { Environment: { Variables: input.Environment.Variables } } : {}),
      State: "Active",
      LastUpdateStatus: "Successful",
      PackageType: "Zip",
      Architectures: ["x86_64"],
    };
    this.functions.set(input.FunctionName, { configuration, codeDir, tags: input.Tags ?? {} });
    return configuration;
  }

  listFunctions(): FunctionConfiguration[] {
    return [...this.functions.values()].map((f) => f.configuration);
  }

  getFunction(nameOrArn: string) {
    const fn = this.findFunction(nameOrArn);
    return {
      Configuration: fn.configuration,
      Code: { RepositoryType: "S3", Location: `file://${path.join(projectRoot, "infra", fn.codeDir)}` },
      Tags: fn.tags,
    };
  }

  createEventSourceMapping(input: CreateMappingInput): EventSourceMapping {
    const fn = this.findFunction(input.FunctionName);
    const batchSize = input.BatchSize ?? 10;
    // Lambda developer guide, "Using Lambda with Amazon SQS": batch size 1–10,000 (above 10 needs a batching window).
    if (batchSize < 1 || batchSize > 10_000)
      throw new LambdaApiError(400, "InvalidParameterValueException", "BatchSize must be between 1 and 10000.");
    const concurrency = input.ScalingConfig?.MaximumConcurrency;
    if (concurrency !== undefined && (concurrency < 2 || concurrency > 1000)) {
      throw new LambdaApiError(400, "InvalidParameterValueException", "MaximumConcurrency must be between 2 and 1000.");
    }
    const mapping: EventSourceMapping = {
      UUID: randomUUID(),
      EventSourceArn: input.EventSourceArn,
      FunctionArn: fn.configuration.FunctionArn,
      BatchSize: batchSize,
      MaximumBatchingWindowInSeconds: input.MaximumBatchingWindowInSeconds ?? 0,
      FunctionResponseTypes: input.FunctionResponseTypes ?? [],
      ...(input.ScalingConfig ? { ScalingConfig: input.ScalingConfig } : {}),
      State: input.Enabled === false ? "Disabled" : "Enabled",
      StateTransitionReason: "USER_INITIATED",
      LastModified: Date.now() / 1000,
      LastProcessingResult: "No records processed",
    };
    this.mappings.set(mapping.UUID, mapping);
    this.emit("mappings");
    return mapping;
  }

  listEventSourceMappings(filter: { FunctionName?: string; EventSourceArn?: string } = {}): EventSourceMapping[] {
    const functionArn = filter.FunctionName
      ? this.findFunction(filter.FunctionName).configuration.FunctionArn
      : undefined;
    return [...this.mappings.values()].filter(
      (m) =>
        (!functionArn || m.FunctionArn === functionArn) &&
        (!filter.EventSourceArn || m.EventSourceArn === filter.EventSourceArn),
    );
  }

  getEventSourceMapping(uuid: string): EventSourceMapping {
    const mapping = this.mappings.get(uuid);
    if (!mapping)
      throw new LambdaApiError(
        404,
        "ResourceNotFoundException",
        `The resource you requested does not exist. (Service: Lambda, Status Code: 404, Request ID: ${randomUUID()})`,
      );
    return mapping;
  }

  /** Enabling or disabling takes effect at once (AWS passes through Enabling/Disabling for a few seconds). */
  updateEventSourceMapping(uuid: string, patch: Partial<CreateMappingInput>): EventSourceMapping {
    const current = this.getEventSourceMapping(uuid);
    const updated: EventSourceMapping = {
      ...current,
      ...(patch.BatchSize !== undefined ? { BatchSize: patch.BatchSize } : {}),
      ...(patch.MaximumBatchingWindowInSeconds !== undefined
        ? { MaximumBatchingWindowInSeconds: patch.MaximumBatchingWindowInSeconds }
        : {}),
      ...(patch.FunctionResponseTypes !== undefined ? { FunctionResponseTypes: patch.FunctionResponseTypes } : {}),
      ...(patch.ScalingConfig !== undefined ? { ScalingConfig: patch.ScalingConfig } : {}),
      ...(patch.FunctionName !== undefined
        ? { FunctionArn: this.findFunction(patch.FunctionName).configuration.FunctionArn }
        : {}),
      ...(patch.Enabled !== undefined ? { State: patch.Enabled ? "Enabled" : "Disabled" } : {}),
      LastModified: Date.now() / 1000,
    };
    this.mappings.set(uuid, updated);
    this.emit("mappings");
    return updated;
  }

  deleteEventSourceMapping(uuid: string): EventSourceMapping {
    const mapping = this.getEventSourceMapping(uuid);
    this.mappings.delete(uuid);
    this.emit("mappings");
    return mapping;
  }

  recordProcessingResult(uuid: string, result: string) {
    const mapping = this.mappings.get(uuid);
    if (mapping) mapping.LastProcessingResult = result;
  }

  private loadHandler(fn: LocalFunction): Promise<Handler> {
    const key = `${fn.codeDir}|${fn.configuration.Handler}`;
    let loaded = this.handlers.get(key);
    if (!loaded) {
      const dot = fn.configuration.Handler.lastIndexOf(".");
      const file = path.join(projectRoot, "infra", fn.codeDir, `${fn.configuration.Handler.slice(0, dot)}.ts`);
      const exportName = fn.configuration.Handler.slice(dot + 1);
      loaded = import(pathToFileURL(file).href).then((module: Record<string, unknown>) => {
        const handler = module[exportName] ?? (module.default as Record<string, unknown> | undefined)?.[exportName];
        if (typeof handler !== "function") throw new Error(`${file} exports no function named ${exportName}`);
        return handler as Handler;
      });
      this.handlers.set(key, loaded);
    }
    return loaded;
  }

  /**
   * Runs the function's handler with the event and a Lambda context, enforcing its timeout.
   * A thrown error or a timeout is an invocation error (Lambda's Errors metric); a returned
   * value, including a partial batch response, is a success.
   */
  async invoke(nameOrArn: string, event: unknown): Promise<InvocationRecord> {
    const fn = this.findFunction(nameOrArn);
    const { FunctionName: functionName, FunctionArn: functionArn, Timeout: timeoutSeconds } = fn.configuration;
    const requestId = randomUUID();
    const concurrency = (this.running.get(functionName) ?? 0) + 1;
    this.running.set(functionName, concurrency);
    const start = Date.now();
    const context = {
      functionName,
      functionVersion: "$LATEST",
      invokedFunctionArn: functionArn,
      memoryLimitInMB: String(fn.configuration.MemorySize),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: `local/${requestId}`,
      getRemainingTimeInMillis: () => Math.max(0, start + timeoutSeconds * 1000 - Date.now()),
    };
    let timer: NodeJS.Timeout | undefined;
    const record: InvocationRecord = { functionName, functionArn, requestId, start, end: start, concurrency, event };
    try {
      const handler = await this.loadHandler(fn);
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              Object.assign(new Error(`Task timed out after ${timeoutSeconds.toFixed(2)} seconds`), {
                name: "Sandbox.Timedout",
              }),
            ),
          timeoutSeconds * 1000,
        );
      });
      const run = invocationScope.run({ lambda: this, functionName, requestId }, () => handler(event, context));
      record.result = await Promise.race([run, timeout]);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      record.error = {
        errorType: error.name,
        errorMessage: error.message,
        stackTrace: error.stack
          ?.split("\n")
          .slice(1)
          .map((l) => l.trim()),
      };
    } finally {
      clearTimeout(timer);
      record.end = Date.now();
      this.running.set(functionName, (this.running.get(functionName) ?? 1) - 1);
    }
    this.emit("invocation", record);
    return record;
  }
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "x-amzn-requestid": randomUUID(), ...headers }).end(text);
}

function sendError(res: http.ServerResponse, err: unknown) {
  if (err instanceof LambdaApiError) {
    send(res, err.status, { Type: "User", Message: err.message }, { "x-amzn-errortype": err.type });
  } else {
    send(
      res,
      500,
      { Type: "Service", Message: err instanceof Error ? err.message : String(err) },
      { "x-amzn-errortype": "ServiceException" },
    );
  }
}

function page<T>(items: T[], url: URL): { items: T[]; nextMarker?: string } {
  const start = Number(url.searchParams.get("Marker") ?? 0) || 0;
  const max = Math.min(Number(url.searchParams.get("MaxItems") ?? 50) || 50, 10_000);
  const slice = items.slice(start, start + max);
  return { items: slice, ...(start + max < items.length ? { nextMarker: String(start + max) } : {}) };
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of req) text += (chunk as Buffer).toString();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new LambdaApiError(400, "InvalidRequestContentException", "Could not parse request body into json");
  }
}

/** Serves the Lambda API for `lambda` on 127.0.0.1:port (0 picks a free port). */
export async function startLambdaApi(
  lambda: LocalLambda,
  port: number,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://local");
      const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
      const [version, collection, id, sub] = parts;
      try {
        // ListTags (Lambda API Reference): GET /2017-03-31/tags/{ARN} → { Tags }.
        if (version === "2017-03-31" && collection === "tags" && id && req.method === "GET")
          return send(res, 200, { Tags: lambda.getFunction(id).Tags });
        if (version !== "2015-03-31")
          throw new LambdaApiError(
            501,
            "InternalFailure",
            `${req.method} ${url.pathname}: not implemented by the local Lambda service`,
          );
        if (collection === "functions") {
          if (!id && req.method === "GET") {
            const { items, nextMarker } = page(lambda.listFunctions(), url);
            return send(res, 200, { Functions: items, ...(nextMarker ? { NextMarker: nextMarker } : {}) });
          }
          if (!id && req.method === "POST")
            return send(res, 201, lambda.createFunction((await readJson(req)) as CreateFunctionInput));
          if (id && !sub && req.method === "GET") return send(res, 200, lambda.getFunction(id));
          if (id && sub === "configuration" && req.method === "GET")
            return send(res, 200, lambda.getFunction(id).Configuration);
          if (id && sub === "invocations" && req.method === "POST") {
            const event = await readJson(req);
            const type = req.headers["x-amz-invocation-type"] ?? "RequestResponse";
            if (type === "DryRun") return send(res, 204, undefined);
            if (type === "Event") {
              lambda.findFunction(id);
              void lambda.invoke(id, event);
              return send(res, 202, undefined);
            }
            const record = await lambda.invoke(id, event);
            return record.error
              ? send(res, 200, record.error, {
                  "x-amz-function-error": "Unhandled",
                  "x-amz-executed-version": "$LATEST",
                })
              : send(res, 200, record.result ?? null, { "x-amz-executed-version": "$LATEST" });
          }
        }
        if (collection === "event-source-mappings") {
          if (!id && req.method === "GET") {
            const filter = {
              FunctionName: url.searchParams.get("FunctionName") ?? undefined,
              EventSourceArn: url.searchParams.get("EventSourceArn") ?? undefined,
            };
            const { items, nextMarker } = page(lambda.listEventSourceMappings(filter), url);
            return send(res, 200, { EventSourceMappings: items, ...(nextMarker ? { NextMarker: nextMarker } : {}) });
          }
          if (!id && req.method === "POST")
            return send(res, 202, lambda.createEventSourceMapping((await readJson(req)) as CreateMappingInput));
          if (id && req.method === "GET") return send(res, 200, lambda.getEventSourceMapping(id));
          if (id && req.method === "PUT")
            return send(
              res,
              202,
              lambda.updateEventSourceMapping(id, (await readJson(req)) as Partial<CreateMappingInput>),
            );
          if (id && req.method === "DELETE") return send(res, 202, lambda.deleteEventSourceMapping(id));
        }
        throw new LambdaApiError(
          501,
          "InternalFailure",
          `${req.method} ${url.pathname}: not implemented by the local Lambda service`,
        );
      } catch (err) {
        sendError(res, err);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
