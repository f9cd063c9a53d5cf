import { describe, expect, it } from "vitest";
import type { AlertNotification } from "./alert-state";
import { destinationUrlProblem, PAGERDUTY_EVENTS_URL } from "./destination-url";
import { bodyFor, DELIVERY_HEADER, requestFor } from "./destinations";
import { SIGNATURE_HEADER, verifySignature } from "./signature";

const teamMode = { localMode: false, allowedHosts: ["alerts.example.com", "*.hooks.example.org"] };
const localMode = { localMode: true, allowedHosts: [] };

describe("a destination URL", () => {
  it.each([
    ["https://hooks.slack.com/services/T/B/x", teamMode, undefined],
    [PAGERDUTY_EVENTS_URL, teamMode, undefined],
    ["https://alerts.example.com/fanout", teamMode, undefined],
    ["https://a.hooks.example.org/x", teamMode, undefined],
    ["https://hooks.example.org/x", teamMode, "not on the alert destinations' allow-list"],
    ["https://alerts.example.com.evil.example/x", teamMode, "not on the alert destinations' allow-list"],
    ["http://alerts.example.com/fanout", teamMode, "must be https"],
    ["https://169.254.169.254/latest", teamMode, "not on the alert destinations' allow-list"],
    ["http://127.0.0.1:9999/hook", teamMode, "only local mode allows"],
    ["http://localhost:9999/hook", teamMode, "only local mode allows"],
    ["http://127.0.0.1:9999/hook", localMode, undefined],
    ["https://alerts.example.com/fanout", localMode, "not on the alert destinations' allow-list"],
    ["https://user:pw@alerts.example.com/", teamMode, "user name or password"],
    ["ftp://alerts.example.com/", teamMode, "http(s)"],
    ["not a url", teamMode, "is not a URL"],
  ])("%s (%j): %s", (url, policy, problem) => {
    const found = destinationUrlProblem(url, policy);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});

const notification: AlertNotification = {
  environment: "production",
  region: "eu-west-1",
  rule: "consumer-paused",
  resource: "arn:aws:lambda:eu-west-1:1:function:orders",
  status: "firing",
  reason: "firing",
  dedupKey: "production/eu-west-1/consumer-paused/arn:aws:lambda:eu-west-1:1:function:orders",
  summary: "orders has been paused for 20 minutes",
  link: "https://fanout.example.com/e/production/eu-west-1/topology",
  since: 0,
};

describe("one try of a stored body", () => {
  it("signs a webhook's body afresh at each try, with the same delivery id", () => {
    const destination = { id: "ops", kind: "webhook" as const, url: "https://alerts.example.com/x", secret: "k" };
    const body = bodyFor("webhook", notification, 0);
    const first = requestFor(destination, body, 1_700_000_000_000, 42);
    expect(first.body).toBe(body);
    expect(JSON.parse(first.body)).toMatchObject({ status: "firing", rule: "consumer-paused" });
    expect(verifySignature(first.headers[SIGNATURE_HEADER], body, "k", 1_700_000_000)).toBe(true);
    const later = requestFor(destination, body, 1_700_000_600_000, 42);
    expect(later.headers[SIGNATURE_HEADER]).toMatch(/^t=1700000600,/);
    expect([first.headers[DELIVERY_HEADER], later.headers[DELIVERY_HEADER]]).toEqual(["42", "42"]);
    expect(verifySignature(later.headers[SIGNATURE_HEADER], body, "k", 1_700_000_600)).toBe(true);
  });

  it("adds PagerDuty's routing key, which the stored body never holds", () => {
    const body = bodyFor("pagerduty", notification, 0);
    expect(body).not.toContain("routing_key");
    const destination = { id: "pd", kind: "pagerduty" as const, url: PAGERDUTY_EVENTS_URL, routingKey: "R0UT1NG" };
    const sent = JSON.parse(requestFor(destination, body, 0).body);
    expect(sent).toMatchObject({ routing_key: "R0UT1NG", event_action: "trigger", dedup_key: notification.dedupKey });
  });

  it("sends a Slack message as it is stored, unsigned", () => {
    const body = bodyFor("slack", notification, 0);
    const request = requestFor({ id: "s", kind: "slack", url: "https://hooks.slack.com/services/x" }, body, 0);
    expect(request.body).toBe(body);
    expect(JSON.parse(body).text).toContain("orders has been paused");
    expect(request.headers).not.toHaveProperty(SIGNATURE_HEADER);
  });
});
