import { describe, expect, it } from "vitest";
import { commonReason, deadLetterTrend, END_TO_END_WITHHELD, summarizeScope } from "./overview";
import { buildTopology } from "./topology";
import { burning, calm, dlq, facts, now, service, visibilityOf } from "../../test/fixtures/incidents";
import { account, fanOut } from "../../test/fixtures/topology";

const noAlerts = { ok: true as const, value: { firing: 0 } };
const jobs = (running: number) => ({ redriveJobs: { ok: true as const, value: { running } }, alerts: noAlerts });

/** fanOut with its alarms in these states (OK unless named). */
function alarmed(...firing: string[]) {
  const a = fanOut();
  a.alarms = a.alarms.map((x) => (firing.includes(x.name) ? { ...x, state: "ALARM" as const } : x));
  return buildTopology(a);
}

describe("a scope's summary", () => {
  it("calm: health ok, nothing counted, the end-to-end objective and budget as the SLA gives them", () => {
    expect(summarizeScope(facts({ topology: alarmed() }), jobs(0))).toEqual({
      ok: true,
      summary: {
        health: "ok",
        incidents: { critical: 0, warning: 0, notice: 0 },
        deadLetters: { ok: true, value: { total: 0, arrived: null, growth: null, windowMinutes: 15, worst: [] } },
        endToEnd: {
          ok: true,
          value: { sli: 0.999, target: 0.99, status: "ok", errorBudgetRemaining: 0.9, firing: [] },
        },
        alarms: { ok: true, value: { firing: 0, names: [] } },
        redriveJobs: { ok: true, value: { running: 0 } },
        alerts: { ok: true, value: { firing: 0 } },
        failed: [],
        collectedAt: new Date(now).toISOString(),
      },
    });
  });

  it("broken: the worst incident is its health; dead letters totalled with the three most troubled holding any", () => {
    const result = summarizeScope(
      facts({
        topology: alarmed("shipping-dlq-not-empty", "billing-dlq-not-empty"),
        deadLetterQueues: [
          // In the dead-letter overview's order, most troubled first; the empty one is never named.
          dlq("billing-dlq", { visible: 7, inFlight: 2, inflow: 4, growth: 3, inflowWindowMinutes: 15 }),
          dlq("shipping-dlq", { visible: 3, inflow: 1, growth: -2, inflowWindowMinutes: 15 }),
          dlq("refunds-dlq", { visible: 2, delayed: 1 }),
          dlq("audit-dlq", { visible: 1, inflow: 0, growth: 0, inflowWindowMinutes: 15 }),
          dlq("analytics-dlq", { inflow: 0, growth: 0, inflowWindowMinutes: 15 }),
        ],
        levels: { services: [], endToEnd: burning({ "1h": 20, "5m": 25 }, 0.4) },
      }),
      jobs(2),
    );
    expect(result.ok).toBe(true);
    const summary = result.ok ? result.summary : undefined;
    expect(summary).toMatchObject({
      health: "critical",
      deadLetters: {
        ok: true,
        value: {
          total: 16,
          // Summed over the queues CloudWatch has figures for: refunds-dlq has none.
          arrived: 5,
          growth: 1,
          windowMinutes: 15,
          worst: [
            { name: "billing-dlq", depth: 9, arrived: 4 },
            { name: "shipping-dlq", depth: 3, arrived: 1 },
            { name: "refunds-dlq", depth: 3 },
          ],
        },
      },
      endToEnd: { ok: true, value: { status: "at-risk", errorBudgetRemaining: 0.4, firing: ["page"] } },
      alarms: { ok: true, value: { firing: 2, names: ["billing-dlq-not-empty", "shipping-dlq-not-empty"] } },
      redriveJobs: { ok: true, value: { running: 2 } },
      failed: [],
    });
    // The start page's list counted: the burn and the two alarms and the two arriving DLQs are critical,
    // the letters waiting in refunds-dlq and audit-dlq a warning.
    expect(summary!.incidents).toEqual({ critical: 5, warning: 2, notice: 0 });
  });

  it("only warnings: health warning", () => {
    const result = summarizeScope(
      facts({ topology: alarmed(), deadLetterQueues: [dlq("billing-dlq", { visible: 1, inflow: 0 })] }),
      jobs(0),
    );
    expect(result.ok && result.summary.health).toBe("warning");
  });

  it("a source not read, and nothing found in the rest: health unknown, the source named, its figures a reason", () => {
    const base = facts({ topology: alarmed() });
    const partial = buildTopology({ ...account({}), failures: [{ part: "cloudwatch", message: "AccessDenied" }] });
    const result = summarizeScope(
      {
        ...base,
        topology: { ok: true, value: partial },
        serviceLevels: { ok: false, reason: "CloudWatch throttled GetMetricData" },
      },
      {
        redriveJobs: { ok: false, reason: "the store is locked" },
        alerts: { ok: false, reason: "the store is locked" },
      },
    );
    expect(result).toMatchObject({
      ok: true,
      summary: {
        health: "unknown",
        endToEnd: { ok: false, reason: "CloudWatch throttled GetMetricData" },
        alarms: { ok: false, reason: "CloudWatch: AccessDenied" },
        redriveJobs: { ok: false, reason: "the store is locked" },
        alerts: { ok: false, reason: "the store is locked" },
        deadLetters: { ok: true },
      },
    });
    expect(result.ok && result.summary.failed.map((f) => f.source)).toEqual([
      "alarms",
      "configuration",
      "service-levels",
    ]);
  });

  it("a source not read does not hide what the others found: health follows the incidents", () => {
    const result = summarizeScope(
      {
        ...facts({ deadLetterQueues: [dlq("billing-dlq", { visible: 1, inflow: 1 })] }),
        topology: { ok: false, reason: "SNS did not answer" },
      },
      jobs(0),
    );
    expect(result).toMatchObject({
      ok: true,
      summary: { health: "critical", alarms: { ok: false, reason: "SNS did not answer" } },
    });
  });

  it("nothing read at all: not a summary but the scope's reason", () => {
    const down = "The AWS endpoint for sts did not answer (ECONNREFUSED)";
    const result = summarizeScope(
      {
        now,
        topology: { ok: false, reason: `Nothing could be read from AWS: sns: ${down}; sqs: ${down}` },
        deadLetters: { ok: false, reason: down },
        serviceLevels: { ok: false, reason: `Nothing could be read from AWS: sns: ${down}; sqs: ${down}` },
      },
      jobs(1),
    );
    expect(result).toEqual({ ok: false, reason: down });
  });
});

describe("a scope's summary for a caller bound to some resources", () => {
  it("counts what they may view, names only their queues and alarms, and says how many incidents it left out", () => {
    const access = {
      bindings: [
        { role: "operator" as const, environments: ["production"], resources: ["arn:aws:sqs:*:*:billing*"], from: "t" },
      ],
    };
    const result = summarizeScope(
      facts({
        topology: alarmed("shipping-dlq-not-empty", "billing-dlq-not-empty"),
        deadLetterQueues: [
          dlq("shipping-dlq", { visible: 30, inflow: 6, growth: 6, inflowWindowMinutes: 15 }),
          dlq("billing-dlq", { visible: 7, inflow: 4, growth: 3, inflowWindowMinutes: 15 }),
        ],
      }),
      jobs(1),
      visibilityOf(access),
    );
    expect(result).toMatchObject({
      ok: true,
      summary: {
        health: "critical",
        // billing's alarm and dead letters; shipping's two are hidden.
        incidents: { critical: 2, warning: 0, notice: 0 },
        hidden: 2,
        deadLetters: {
          ok: true,
          value: { total: 7, arrived: 4, growth: 3, worst: [{ name: "billing-dlq", depth: 7, arrived: 4 }] },
        },
        alarms: { ok: true, value: { firing: 1, names: ["billing-dlq-not-empty"] } },
      },
    });
  });

  it("bound to nothing broken: healthy in what they may view, with the hidden incidents counted", () => {
    const access = {
      bindings: [
        { role: "viewer" as const, environments: ["*"], resources: ["arn:aws:sqs:*:*:analytics*"], from: "t" },
      ],
    };
    const result = summarizeScope(
      facts({
        topology: alarmed("shipping-dlq-not-empty"),
        deadLetterQueues: [dlq("shipping-dlq", { visible: 3, inflow: 1 })],
      }),
      jobs(0),
      visibilityOf(access),
    );
    expect(result).toMatchObject({
      ok: true,
      summary: { health: "ok", incidents: { critical: 0 }, hidden: 2, deadLetters: { ok: true, value: { total: 0 } } },
    });
  });
});

describe("the end-to-end figure for a caller bound to some resources", () => {
  it("is withheld, and said to be, when it counts a path they may not view; the scope's health is not the worse for it", () => {
    const topology = alarmed();
    const paths = topology.edges
      .filter((e) => e.kind === "subscription")
      .map((e) => ({ ...service("path", e.to, calm), nodeId: e.to, edgeId: e.id }));
    const access = {
      bindings: [{ role: "viewer" as const, environments: ["*"], resources: ["arn:aws:sqs:*:*:billing*"], from: "t" }],
    };
    const result = summarizeScope(
      facts({ topology, levels: { services: paths, endToEnd: calm } }),
      jobs(0),
      visibilityOf(access),
    );
    expect(result).toMatchObject({
      ok: true,
      summary: {
        health: "ok",
        endToEnd: { ok: false, reason: END_TO_END_WITHHELD },
        endToEndWithheld: true,
        failed: [],
        hidden: 0,
      },
    });
    // Everyone else sees it as before.
    const whole = summarizeScope(facts({ topology, levels: { services: paths, endToEnd: calm } }), jobs(0));
    expect(whole).toMatchObject({ ok: true, summary: { endToEnd: { ok: true, value: { sli: 0.999 } } } });
    expect(whole.ok && whole.summary).not.toHaveProperty("endToEndWithheld");
  });
});

describe("commonReason", () => {
  it("says a reason the others contain once, different reasons each once, and something when given none", () => {
    expect(commonReason(["x failed: a", "a", "a"])).toBe("a");
    expect(commonReason(["AccessDenied", "throttled", "AccessDenied"])).toBe("AccessDenied; throttled");
    expect(commonReason([])).toBe("no source answered");
  });
});

describe("deadLetterTrend", () => {
  it("says what arrived, the net change only where it differs, and unknown without CloudWatch", () => {
    expect(deadLetterTrend({ arrived: 3, growth: 3, windowMinutes: 15 })).toBe("+3 in 15 min");
    expect(deadLetterTrend({ arrived: 3, growth: -2, windowMinutes: 15 })).toBe("+3 in 15 min, net -2");
    expect(deadLetterTrend({ arrived: 3, growth: 1, windowMinutes: 15 })).toBe("+3 in 15 min, net +1");
    expect(deadLetterTrend({ arrived: 0, growth: null, windowMinutes: 15 })).toBe("+0 in 15 min");
    expect(deadLetterTrend({ arrived: null, growth: null, windowMinutes: 15 })).toBe(
      "arrivals unknown (no CloudWatch data)",
    );
  });
});
