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
   * with `times`, only that many, after which requests pass again.
   */
  | { mode: "error"; status: number; code: string; message: string; operation?: string; times?: number }
  /**
   * SendMessageBatch partly fails, as SQS can: the named entries are taken out of the request
   * (so SQS never enqueues them) and reported in the answer's `Failed` list, `times` times.
   */
  | { mode: "fail-batch-entries"; entryIds: string[]; code: string; senderFault: boolean; times: number }
  /** The connection is accepted and then dropped without an answer. */
  | { mode: "drop" }
  /** Every request forwarded after a fixed delay, as a distant endpoint would answer. */
  | { mode: "delay"; ms: number };

export interface FaultProxy {
  url: string;
  /** Requests seen since the last setFault, faulted or not. */
  readonly requests: number;
  setFault(fault: FaultMode): void;
  close(): Promise<void>;
}

/** Writes an error the way AWS does for the request's protocol, so the SDK parses it as a real one. */
function writeAwsError(req: http.IncomingMessage, res: http.ServerResponse, fault: { status: number; code: string; message: string }) {
  req.resume();
  const queryProtocol = (req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
  if (queryProtocol) {
    const xml = `<ErrorResponse><Error><Type>Sender</Type><Code>${fault.code}</Code><Message>${fault.message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`;
    res.writeHead(fault.status, { "content-type": "text/xml" }).end(xml);
  } else {
    res
      .writeHead(fault.status, { "content-type": "application/json", "x-amzn-errortype": fault.code, "x-amzn-query-error": `${fault.code};Sender` })
      .end(JSON.stringify({ __type: fault.code, message: fault.message }));
  }
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let fault: FaultMode = { mode: "pass" };
  let requests = 0;

  const server = http.createServer((req, res) => {
    if (req.url === "/__fault" && req.method === "POST") {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        fault = JSON.parse(body) as FaultMode;
        requests = 0;
        res.writeHead(204).end();
      });
      return;
    }
    requests++;
    const operation = String(req.headers["x-amz-target"] ?? "").split(".").pop();
    const targeted = fault.mode === "error" ? fault.operation === undefined || fault.operation === operation : fault.mode !== "fail-batch-entries" || operation === "SendMessageBatch";
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
      case "pass":
        forward(req, res);
    }
  });

  function forward(req: http.IncomingMessage, res: http.ServerResponse) {
    const upstreamRequest = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstreamRequest.on("error", () => res.writeHead(502).end());
    req.pipe(upstreamRequest);
  }

  /** Sends the batch without the chosen entries (the endpoint does not check signatures) and reports them failed. */
  function failBatchEntries(req: http.IncomingMessage, res: http.ServerResponse, f: Extract<FaultMode, { mode: "fail-batch-entries" }>) {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      const body = JSON.parse(raw) as { Entries: Array<{ Id: string }> };
      const failed = body.Entries.filter((e) => f.entryIds.includes(e.Id));
      const kept = JSON.stringify({ ...body, Entries: body.Entries.filter((e) => !f.entryIds.includes(e.Id)) });
      const answerFailed = failed.map((e) => ({ Id: e.Id, Code: f.code, Message: "failed by the fault proxy", SenderFault: f.senderFault }));
      if (failed.length === body.Entries.length) {
        res.writeHead(200, { "content-type": "application/x-amz-json-1.0" }).end(JSON.stringify({ Successful: [], Failed: answerFailed }));
        return;
      }
      const upstreamRequest = http.request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: "POST", headers: { ...req.headers, "content-length": String(Buffer.byteLength(kept)) } },
        (answer) => {
          let text = "";
          answer.on("data", (c: Buffer) => (text += c.toString()));
          answer.on("end", () => {
            const parsed = JSON.parse(text) as { Successful?: unknown[]; Failed?: unknown[] };
            const merged = JSON.stringify({ ...parsed, Failed: [...(parsed.Failed ?? []), ...answerFailed] });
            res.writeHead(answer.statusCode ?? 502, { "content-type": "application/x-amz-json-1.0", "content-length": String(Buffer.byteLength(merged)) }).end(merged);
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
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    setFault(next) {
      fault = next;
      requests = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
