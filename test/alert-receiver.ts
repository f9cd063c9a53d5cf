import http from "node:http";
import type { AddressInfo } from "node:net";

/** A request an alert receiver got. */
export interface ReceivedAlert {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The status it was answered with. */
  status: number;
}

/** How the receiver answers one request: a status, after a delay, with a body and headers. */
export interface ReceiverAnswer {
  status: number;
  delayMs?: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface AlertReceiver {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** What arrived, in order; a test may empty it. */
  received: ReceivedAlert[];
  /** The next answers, in order; then 200. A test may set it. */
  answers: ReceiverAnswer[];
  /** Picks the answer to one request before `answers` are used; undefined leaves it to them. A test may set it. */
  answerTo?: (request: Omit<ReceivedAlert, "status">) => ReceiverAnswer | undefined;
  close(): Promise<void>;
}

/** A real HTTP receiver of alert notifications on a free loopback port, as a webhook's endpoint would be. */
export async function startAlertReceiver(): Promise<AlertReceiver> {
  const receiver: Omit<AlertReceiver, "url" | "close"> = { received: [], answers: [] };
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const request = { path: req.url ?? "", headers: req.headers, body };
      const answer = receiver.answerTo?.(request) ?? receiver.answers.shift() ?? { status: 200 };
      receiver.received.push({ ...request, status: answer.status });
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(answer.status, answer.headers).end(answer.body ?? "");
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
