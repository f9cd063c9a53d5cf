import { describe, expect, it } from "vitest";
import type { AlertNotification } from "./alert-state";
import { pagerDutyDedupKey, pagerDutyEventOf } from "./pagerduty-event";
import { signatureHeader, verifySignature } from "./signature";
import { slackMessageOf } from "./slack-message";
import { webhookPayloadOf } from "./webhook-payload";

const dlq = "arn:aws:sqs:eu-west-1:111111111111:orders-dlq";
const firing: AlertNotification = {
  environment: "production",
  region: "eu-west-1",
  rule: "dead-letters-arrived",
  resource: dlq,
  status: "firing",
  reason: "news",
  dedupKey: `production/eu-west-1/dead-letters-arrived/${dlq}`,
  summary: "orders-dlq holds 12 dead letters (3 new since the last notification, newest m-12: TypeError: no amount)",
  link: "https://fanout.example.com/e/production/eu-west-1/dlq/orders-dlq",
  since: Date.UTC(2025, 0, 2, 3, 4, 5),
  news: {
    count: 3,
    newestId: "m-12",
    firstError: "TypeError: no amount",
    traceLink: "https://fanout.example.com/e/production/eu-west-1/traces/1-abc?dlq=orders-dlq&message=m-12",
  },
};
const { news: _news, ...reminder } = { ...firing, reason: "reminder" as const };
const resolved: AlertNotification = {
  ...firing,
  status: "resolved",
  reason: "resolved",
  summary: "orders-dlq is empty",
};

describe("the generic webhook's JSON", () => {
  it("has exactly the issue's fields, since as ISO 8601, without news", () => {
    const payload = webhookPayloadOf(reminder);
    expect(Object.keys(payload)).toEqual([
      "status",
      "rule",
      "environment",
      "region",
      "resource",
      "dedupKey",
      "summary",
      "link",
      "since",
    ]);
    expect(payload).toEqual({
      status: "firing",
      rule: "dead-letters-arrived",
      environment: "production",
      region: "eu-west-1",
      resource: dlq,
      dedupKey: `production/eu-west-1/dead-letters-arrived/${dlq}`,
      summary: firing.summary,
      link: firing.link,
      since: "2025-01-02T03:04:05.000Z",
    });
    expect(webhookPayloadOf(resolved)).toMatchObject({ status: "resolved", since: "2025-01-02T03:04:05.000Z" });
  });

  it("adds the details of new dead letters: how many, the newest's id, its first error and trace, each when known", () => {
    expect(webhookPayloadOf(firing).details).toEqual({
      arrived: 3,
      newestMessageId: "m-12",
      firstError: "TypeError: no amount",
      traceLink: firing.news!.traceLink,
    });
    expect(webhookPayloadOf({ ...firing, news: { count: 1 } }).details).toEqual({ arrived: 1 });
  });
});

describe("the webhook signature", () => {
  const body = JSON.stringify(webhookPayloadOf(firing));

  it("is t=<seconds>,v1=<hex HMAC-SHA256 of t.body>, as a receiver recomputes it", async () => {
    const header = signatureHeader(body, "s3cret", 1_700_000_000.9);
    const { createHmac } = await import("node:crypto");
    const expected = createHmac("sha256", "s3cret").update(`1700000000.${body}`).digest("hex");
    expect(header).toBe(`t=1700000000,v1=${expected}`);
    expect(verifySignature(header, body, "s3cret", 1_700_000_100)).toBe(true);
  });

  it("fails for another body, another secret, a time too far off, or a header that is not one", () => {
    const header = signatureHeader(body, "s3cret", 1_700_000_000);
    expect(verifySignature(header, `${body} `, "s3cret", 1_700_000_000)).toBe(false);
    expect(verifySignature(header, body, "other", 1_700_000_000)).toBe(false);
    expect(verifySignature(header, body, "s3cret", 1_700_000_301)).toBe(false);
    expect(verifySignature(header.replace("t=1700000000", "t=1700000001"), body, "s3cret", 1_700_000_000)).toBe(false);
    for (const bad of [undefined, "", "v1=ab", "t=1,v1=zz", `t=x,${header.split(",")[1]}`])
      expect(verifySignature(bad, body, "s3cret", 1_700_000_000)).toBe(false);
  });
});

describe("the Slack message", () => {
  it("reads as a line per fact, its summary a link back to the console page", () => {
    expect(slackMessageOf(firing).text).toBe(
      [
        ":rotating_light: *Firing, with news* · `dead-letters-arrived` in production (eu-west-1)",
        `<${firing.link}|${firing.summary}>`,
        `New: 3 · newest \`m-12\` · first error: TypeError: no amount · <${firing.news!.traceLink}|its trace>`,
        `Resource: \`${dlq}\` · since 2025-01-02T03:04:05.000Z`,
      ].join("\n"),
    );
    expect(slackMessageOf(reminder).text.split("\n")).toHaveLength(3);
    expect(slackMessageOf(resolved).text).toMatch(/^:white_check_mark: \*Resolved\*/);
    expect(slackMessageOf({ ...firing, reason: "reminder" }).text).toMatch(/^:rotating_light: \*Still firing\*/);
  });

  it("escapes what Slack would read as markup, so no summary makes a link or a mention", () => {
    const hostile = {
      ...firing,
      summary: "a <https://evil.example|click> & <!channel>",
      link: "https://f.example/x|y>z",
      news: { count: 1, firstError: "Error: <!channel> & <https://evil.example|go>" },
    };
    const text = slackMessageOf(hostile).text;
    expect(text).toContain("first error: Error: &lt;!channel&gt; &amp; &lt;https://evil.example|go&gt;");
    expect(text).toContain("<https://f.example/x%7Cy%3Ez|a &lt;https://evil.example|click&gt; &amp; &lt;!channel&gt;>");
    expect(text).not.toContain("<!channel>");
  });
});

describe("the PagerDuty event", () => {
  it("triggers with the dedup key, a summary, source, severity and a link back", () => {
    expect(pagerDutyEventOf(firing, Date.UTC(2025, 0, 2, 4, 0, 0))).toEqual({
      event_action: "trigger",
      dedup_key: firing.dedupKey,
      payload: {
        summary: firing.summary,
        source: dlq,
        severity: "error",
        timestamp: "2025-01-02T04:00:00.000Z",
        component: dlq,
        group: "production/eu-west-1",
        class: "dead-letters-arrived",
        custom_details: {
          environment: "production",
          region: "eu-west-1",
          since: "2025-01-02T03:04:05.000Z",
          reason: "news",
          arrived: 3,
          newestMessageId: "m-12",
          firstError: "TypeError: no amount",
          traceLink: firing.news!.traceLink,
        },
      },
      links: [
        { href: firing.link, text: "Open in Fanout" },
        { href: firing.news!.traceLink, text: "The newest letter's trace" },
      ],
      client: "Fanout",
      client_url: firing.link,
    });
    expect(pagerDutyEventOf({ ...firing, rule: "burn-rate-page" }, 0).payload?.severity).toBe("critical");
    expect(pagerDutyEventOf(reminder, 0).links).toEqual([{ href: firing.link, text: "Open in Fanout" }]);
    expect(pagerDutyEventOf(reminder, 0).payload?.custom_details).not.toHaveProperty("arrived");
  });

  it("resolves by the same dedup key", () => {
    expect(pagerDutyEventOf(resolved, 0)).toEqual({ event_action: "resolve", dedup_key: firing.dedupKey });
  });

  it("keeps within PagerDuty's limits: a dedup key of 255 characters, a summary of 1024", () => {
    const long = `production/eu-west-1/alarm-state-changed/arn:aws:cloudwatch:eu-west-1:1:alarm:${"a".repeat(255)}`;
    const key = pagerDutyDedupKey(long);
    expect(key).toHaveLength(255);
    expect(key).not.toBe(pagerDutyDedupKey(`${long}b`));
    expect(pagerDutyDedupKey(firing.dedupKey)).toBe(firing.dedupKey);
    expect(pagerDutyEventOf({ ...firing, summary: "x".repeat(2000) }, 0).payload?.summary).toHaveLength(1024);
  });
});
