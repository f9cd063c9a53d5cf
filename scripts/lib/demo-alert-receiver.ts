import http from "node:http";
import type { AddressInfo } from "node:net";
import { SIGNATURE_HEADER, verifySignature } from "../../lib/domain/alerts/signature";
import type { WebhookPayload } from "../../lib/domain/alerts/webhook-payload";

/**
 * The demo's alert receiver: when FANOUT_ALERTS_WEBHOOK is unset, `npm run demo` starts it on a free
 * loopback port and points the console at it, so a newcomer sees alerts arrive in the demo's output
 * within the first minutes. It does what a real receiver should: checks the signature and its time,
 * refuses what does not verify (the console then retries), and reads the payload as untrusted.
 */

export interface DemoAlertReceiver {
  /** `http://127.0.0.1:<port>/alerts`: what FANOUT_ALERTS_WEBHOOK is set to. */
  url: string;
  close(): Promise<void>;
}

/** A bigger body is no notification of the console's: refused unread. */
const MAX_BODY_BYTES = 64 * 1024;

const text = (value: unknown): string =>
  typeof value === "string" ? value.replace(/[\u0000-\u001f\u007f]/g, " ") : "?";

/** The lines one notification is printed as: what fired or resolved, where, why, and the console page that explains it. */
export function notificationLines(body: string): string[] {
  let payload: Partial<WebhookPayload>;
  try {
    payload = JSON.parse(body) as Partial<WebhookPayload>;
  } catch {
    return [`a notification that is not JSON (${body.length} bytes)`];
  }
  const status =
    payload.status === "resolved" ? "RESOLVED" : payload.status === "firing" ? "FIRING" : text(payload.status);
  return [
    `${status} ${text(payload.rule)} in ${text(payload.environment)} (${text(payload.region)}): ${text(payload.summary)}`,
    `  ${text(payload.link)}`,
  ];
}

export async function startDemoAlertReceiver(
  secret: string,
  log: (line: string) => void,
  now: () => number = Date.now,
): Promise<DemoAlertReceiver> {
  const server = http.createServer((req, res) => {
    if (req.method !== "POST") return void res.writeHead(405, { allow: "POST" }).end();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413).end();
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const signature = req.headers[SIGNATURE_HEADER.toLowerCase()];
      if (!verifySignature(typeof signature === "string" ? signature : undefined, body, secret, now() / 1000)) {
        log(`refused a notification whose ${SIGNATURE_HEADER} does not verify with the demo's secret`);
        return void res.writeHead(401).end();
      }
      for (const line of notificationLines(body)) log(line);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
