import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An HTTP proxy between the console and the AWS endpoint that can be told to misbehave, so
 * tests see real SDK behaviour (retries, timeouts, error parsing) under faults AWS can produce.
 * Control it in-process with `setFault`, or over HTTP: `POST /__fault {"mode": …}`.
 */
export type FaultMode =
  | { mode: "pass" }
  /** Every request answered with this status and an empty body, as a load balancer in trouble would. */
  | { mode: "status"; status: number }
  /**
   * An AWS error document in the protocol the request used (XML for query APIs, JSON otherwise).
   * With `operation` (a JSON-protocol target such as "SendMessageBatch") only those requests fail;
   * with `times`, only that many, after which requests pass again; with `skip`, that many of the
   * targeted requests pass first (e.g. the second DeleteMessageBatch of a loop fails, not the first).
   */
  | { mode: "error"; status: number; code: string; message: string; operation?: string; times?: number; skip?: number }
  /**
   * SendMessageBatch partly fails, as SQS can: the named entries are taken out of the request
   * (so SQS never enqueues them) and reported in the answer's `Failed` list, `times` times.
   */
  | { mode: "fail-batch-entries"; entryIds: string[]; code: string; senderFault: boolean; times: number }
  /** The connection is accepted and then dropped without an answer. */
  | { mode: "drop" }
  /** Every request forwarded after a fixed delay, as a distant endpoint would answer. */
  | { mode: "delay"; ms: number }
  /**
   * Each request, independently, meets one fault at the given rates (0–1, summed at most 1), the
   * rest pass: `throttle` (400 ThrottlingException), `serverError` (500 InternalError), `slow`
   * (forwarded after `slowMs`), `drop` (connection closed before forwarding: the endpoint never
   * sees the request) and `lostResponse` (forwarded, then the connection closed before the answer:
   * the endpoint acted, the caller cannot know), the last only on `lostResponseOn` operations when
   * given. Seeded, so a run can be repeated.
   */
  | {
      mode: "random";
      rates: Partial<Record<RandomFault, number>>;
      slowMs?: number;
      seed?: number;
      lostResponseOn?: string[];
    }
  /** The next `times` requests of `operation` are carried out by the endpoint, and their answers lost. */
  | { mode: "lose-answer"; operation: string; times: number }
  /**
   * The proxy answers the named operations itself (HTTP 200, a JSON body), as an endpoint that has
   * them would, and passes every other request on: an emulator then seems to implement what it
   * lacks. An answer is a body, or (in-process only) a function of the request's JSON body.
   */
  | { mode: "answer"; answers: Record<string, ProxyAnswer> };

/** A body to answer with, or a function making one from the request's parsed JSON body. */
export type ProxyAnswer = object | ((request: Record<string, unknown>) => object);

/**
 * REST APIs name the operation by path. X-Ray's paths that are not the operation's own name
 * (X-Ray API reference, each action's "Request Syntax"); any other path is taken as the name.
 */
const REST_OPERATIONS: Record<string, string> = {
  "/TraceSummaries": "GetTraceSummaries",
  "/Traces": "BatchGetTraces",
  "/ServiceGraph": "GetServiceGraph",
  "/TraceSegments": "PutTraceSegments",
  "/TraceGraph": "GetTraceGraph",
};

/** The operation a request calls: its X-Amz-Target action (JSON protocols), else what its path stands for. */
export function operationOf(req: Pick<http.IncomingMessage, "headers" | "url">): string | undefined {
  const target = req.headers["x-amz-target"];
  if (target) return String(target).split(".").pop();
  const path = (req.url ?? "").split("?")[0] ?? "";
  return REST_OPERATIONS[path] ?? (/^\/[A-Za-z]+$/.test(path) ? path.slice(1) : undefined);
}

export type RandomFault = "throttle" | "serverError" | "slow" | "drop" | "lostResponse";

export interface FaultProxy {
  url: string;
  /** Requests seen since the last setFault, faulted or not. */
  readonly requests: number;
  /** Faults of the random mode injected since the last setFault, by kind. */
  readonly faultCounts: Record<RandomFault, number>;
  /** Requests the answer mode answered since the last setFault: operation and parsed body. */
  readonly answered: ReadonlyArray<{ operation: string; body: unknown }>;
  setFault(fault: FaultMode): void;
  close(): Promise<void>;
}

/** Writes an error the way AWS does for the request's protocol, so the SDK parses it as a real one. */
function writeAwsError(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  fault: { status: number; code: string; message: string },
) {
  req.resume();
  const queryProtocol = (req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
  if (queryProtocol) {
    const xml =
      `<ErrorResponse><Error><Type>Sender</Type><Code>${fault.code}</Code>` +
      `<Message>${fault.message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`;
    res.writeHead(fault.status, { "content-type": "text/xml" }).end(xml);
  } else {
    res
      .writeHead(fault.status, {
        "content-type": "application/json",
        "x-amzn-errortype": fault.code,
        "x-amzn-query-error": `${fault.code};Sender`,
      })
      .end(JSON.stringify({ __type: fault.code, message: fault.message }));
  }
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let fault: FaultMode = { mode: "pass" };
  let requests = 0;
  const noFaults = (): Record<RandomFault, number> => ({
    throttle: 0,
    serverError: 0,
    slow: 0,
    drop: 0,
    lostResponse: 0,
  });
  let faultCounts = noFaults();
  let random = seeded(1);
  let answered: Array<{ operation: string; body: unknown }> = [];
  const reset = (next: FaultMode) => {
    fault = next;
    requests = 0;
    answered = [];
    faultCounts = noFaults();
    random = seeded(next.mode === "random" ? (next.seed ?? 1) : 1);
  };

  const server = http.createServer((req, res) => {
    if (req.url === "/__fault" && req.method === "POST") {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        reset(JSON.parse(body) as FaultMode);
        res.writeHead(204).end();
      });
      return;
    }
    requests++;
    const operation = operationOf(req);
    if (fault.mode === "answer") {
      const answer =
        operation !== undefined && Object.hasOwn(fault.answers, operation) ? fault.answers[operation] : undefined;
      if (answer === undefined) forward(req, res);
      else answerWith(req, res, operation!, answer);
      return;
    }
    const targeted =
      fault.mode === "error"
        ? fault.operation === undefined || fault.operation === operation
        : fault.mode === "lose-answer"
          ? fault.operation === operation
          : fault.mode !== "fail-batch-entries" || operation === "SendMessageBatch";
    if (targeted && fault.mode === "error" && fault.skip !== undefined && fault.skip > 0) {
      fault.skip--;
      forward(req, res);
      return;
    }
    if (!targeted || ("times" in fault && fault.times !== undefined && fault.times <= 0)) {
      forward(req, res);
      return;
    }
    if ("times" in fault && fault.times !== undefined) fault.times--;
    switch (fault.mode) {
      case "status":
        res.writeHead(fault.status, { "content-type": "text/plain" }).end();
        return;
      case "error":
        writeAwsError(req, res, fault);
        return;
      case "drop":
        req.socket.destroy();
        return;
      case "fail-batch-entries":
        failBatchEntries(req, res, fault);
        return;
      case "delay":
        req.pause();
        setTimeout(() => {
          req.resume();
          forward(req, res);
        }, fault.ms);
        return;
      case "random":
        injectRandom(req, res, fault, operation);
        return;
      case "lose-answer":
        forward(req, res, () => res.socket?.destroy());
        return;
      case "pass":
        forward(req, res);
    }
  });

  function injectRandom(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    f: Extract<FaultMode, { mode: "random" }>,
    operation: string | undefined,
  ) {
    let r = random();
    let kind: RandomFault | undefined;
    for (const k of ["throttle", "serverError", "slow", "drop", "lostResponse"] as const) {
      const rate =
        k === "lostResponse" && f.lostResponseOn && !f.lostResponseOn.includes(operation ?? "") ? 0 : (f.rates[k] ?? 0);
      if (r < rate) {
        kind = k;
        break;
      }
      r -= rate;
    }
    if (kind) faultCounts[kind]++;
    switch (kind) {
      case "throttle":
        return writeAwsError(req, res, {
          status: 400,
          code: "ThrottlingException",
          message: "Rate exceeded (fault proxy)",
        });
      case "serverError":
        return writeAwsError(req, res, { status: 500, code: "InternalError", message: "internal error (fault proxy)" });
      case "slow":
        req.pause();
        setTimeout(() => {
          req.resume();
          forward(req, res);
        }, f.slowMs ?? 2000);
        return;
      case "drop":
        req.socket.destroy();
        return;
      case "lostResponse":
        forward(req, res, () => res.socket?.destroy());
        return;
      default:
        forward(req, res);
    }
  }

  /** Answers in the request's JSON protocol with the given body, or the body a function makes of the request's. */
  function answerWith(req: http.IncomingMessage, res: http.ServerResponse, operation: string, answer: ProxyAnswer) {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      let body: object;
      try {
        const request = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        answered.push({ operation, body: request });
        body = typeof answer === "function" ? answer(request) : answer;
      } catch (err) {
        writeAwsError(req, res, {
          status: 500,
          code: "InternalFailure",
          message: `fault proxy answer failed: ${String(err)}`,
        });
        return;
      }
      const text = JSON.stringify(body);
      const type = req.headers["x-amz-target"] ? "application/x-amz-json-1.0" : "application/json";
      res
        .writeHead(200, {
          "content-type": type,
          "content-length": String(Buffer.byteLength(text)),
          "x-amzn-requestid": "fault-proxy",
        })
        .end(text);
    });
  }

  /** Forwards the request; `loseAnswer` instead throws the endpoint's answer away once it came. */
  function forward(req: http.IncomingMessage, res: http.ServerResponse, loseAnswer?: () => void) {
    const upstreamRequest = http.request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        if (loseAnswer) {
          answer.resume();
          answer.on("end", loseAnswer);
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstreamRequest.on("error", () => res.writeHead(502).end());
    req.pipe(upstreamRequest);
  }

  /** Sends the batch without the chosen entries (the endpoint does not check signatures) and reports them failed. */
  function failBatchEntries(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    f: Extract<FaultMode, { mode: "fail-batch-entries" }>,
  ) {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      const body = JSON.parse(raw) as { Entries: Array<{ Id: string }> };
      const failed = body.Entries.filter((e) => f.entryIds.includes(e.Id));
      const kept = JSON.stringify({ ...body, Entries: body.Entries.filter((e) => !f.entryIds.includes(e.Id)) });
      const answerFailed = failed.map((e) => ({
        Id: e.Id,
        Code: f.code,
        Message: "failed by the fault proxy",
        SenderFault: f.senderFault,
      }));
      if (failed.length === body.Entries.length) {
        res
          .writeHead(200, { "content-type": "application/x-amz-json-1.0" })
          .end(JSON.stringify({ Successful: [], Failed: answerFailed }));
        return;
      }
      const upstreamRequest = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: "POST",
          headers: { ...req.headers, "content-length": String(Buffer.byteLength(kept)) },
        },
        (answer) => {
          let text = "";
          answer.on("data", (c: Buffer) => (text += c.toString()));
          answer.on("end", () => {
            const parsed = JSON.parse(text) as { Successful?: unknown[]; Failed?: unknown[] };
            const merged = JSON.stringify({ ...parsed, Failed: [...(parsed.Failed ?? []), ...answerFailed] });
            res
              .writeHead(answer.statusCode ?? 502, {
                "content-type": "application/x-amz-json-1.0",
                "content-length": String(Buffer.byteLength(merged)),
              })
              .end(merged);
          });
        },
      );
      upstreamRequest.on("error", () => res.writeHead(502).end());
      upstreamRequest.end(kept);
    });
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    get faultCounts() {
      return { ...faultCounts };
    },
    get answered() {
      return [...answered];
    },
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    setFault: reset,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** mulberry32: a small seeded generator of numbers in [0, 1). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
