import { afterEach, describe, expect, it } from "vitest";
import { signatureHeader } from "../../lib/domain/alerts/signature";
import { notificationLines, startDemoAlertReceiver, type DemoAlertReceiver } from "./demo-alert-receiver";

const secret = "s".repeat(32);
const payload = {
  status: "firing",
  rule: "dead-letters-arrived",
  environment: "production",
  region: "us-east-1",
  resource: "arn:aws:sqs:us-east-1:000000000000:orders-dlq",
  dedupKey: "k",
  summary: "3 dead letters arrived in orders-dlq\u001b[31m",
  link: "http://127.0.0.1:3000/e/production/us-east-1/dead-letters/orders-dlq",
  since: "2026-12-04T20:00:00.000Z",
};

describe("the demo's alert receiver", () => {
  let receiver: DemoAlertReceiver | undefined;
  afterEach(async () => receiver?.close());

  it("prints what fired, where and why, with the link, and no control characters of the payload", () => {
    expect(notificationLines(JSON.stringify(payload))).toEqual([
      "FIRING dead-letters-arrived in production (us-east-1): 3 dead letters arrived in orders-dlq [31m",
      "  http://127.0.0.1:3000/e/production/us-east-1/dead-letters/orders-dlq",
    ]);
    expect(notificationLines(JSON.stringify({ ...payload, status: "resolved" }))[0]).toMatch(/^RESOLVED /);
    expect(notificationLines("<html>")).toEqual(["a notification that is not JSON (6 bytes)"]);
  });

  it("prints a notification signed with its secret, and refuses one that is not, or signed too long ago", async () => {
    const lines: string[] = [];
    receiver = await startDemoAlertReceiver(secret, (line) => lines.push(line));
    expect(receiver.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/alerts$/);
    const body = JSON.stringify(payload);
    const send = (signature: string) =>
      fetch(receiver!.url, { method: "POST", body, headers: { "X-Fanout-Signature": signature } });

    expect((await send(signatureHeader(body, secret, Date.now() / 1000))).status).toBe(204);
    expect(lines).toEqual(notificationLines(body));

    lines.length = 0;
    expect((await send(signatureHeader(body, "t".repeat(32), Date.now() / 1000))).status).toBe(401);
    expect((await send(signatureHeader(body, secret, Date.now() / 1000 - 3600))).status).toBe(401);
    expect(lines).toEqual([
      "refused a notification whose X-Fanout-Signature does not verify with the demo's secret",
      "refused a notification whose X-Fanout-Signature does not verify with the demo's secret",
    ]);
  });
});
