import { describe, expect, it } from "vitest";
import { buildIncidents } from "./incidents";
import { buildTopology } from "./topology";
import { burning, calm, dlq, facts, now, service, visibilityOf } from "../../test/fixtures/incidents";
import { account, aid, alarm, fanOut, fn, qid, queue, queueArn, sqsSub, topic } from "../../test/fixtures/topology";

describe("dead letters", () => {
  it("letters that stopped arriving wait, as a warning, linked to their DLQ's page", () => {
    const { incidents, failed } = buildIncidents(
      facts({
        deadLetterQueues: [
          dlq("billing-dlq", { visible: 3, inFlight: 1, oldestAgeSeconds: 720, oldestExpiresInSeconds: 1_208_880 }),
        ],
      }),
    );
    expect(failed).toEqual([]);
    expect(incidents).toEqual([
      {
        id: `dead-letters:${queueArn("billing-dlq")}`,
        severity: "warning",
        kind: "dead-letters",
        title: "Dead letters waiting in billing-dlq",
        detail:
          "4 dead letters (1 being read); arrivals unknown (no CloudWatch data); oldest 12 min old, deleted by SQS in 13 d 23 h; " +
          "from queue billing after 5 receives.",
        since: "2025-03-01T11:48:00.000Z",
        link: { href: "/dead-letters/billing-dlq", label: "Open the dead-letter queue" },
        related: [{ href: `/topology?node=${encodeURIComponent(qid("billing-dlq"))}`, label: "Show on the topology" }],
      },
    ]);
  });

  it("letters still arriving, or about to be deleted by SQS, are critical", () => {
    const { incidents } = buildIncidents(
      facts({
        deadLetterQueues: [
          dlq("a-dlq", { inFlight: 2, growth: 0, growthWindowMinutes: 15, inflow: 2, inflowWindowMinutes: 15 }),
          dlq("b-dlq", {
            visible: 1,
            inflow: 0,
            inflowWindowMinutes: 15,
            oldestAgeSeconds: 1_200_000,
            oldestExpiresInSeconds: 9_600,
          }),
          dlq("c-dlq", { visible: 1, growth: 0, growthWindowMinutes: 15, inflow: 0, inflowWindowMinutes: 15 }),
          dlq("empty-dlq", { growth: -4, growthWindowMinutes: 15, inflow: 0, inflowWindowMinutes: 15 }),
        ],
      }),
    );
    expect(incidents.map((i) => [i.title, i.severity])).toEqual([
      ["Dead letters arriving in a-dlq", "critical"],
      ["Dead letters waiting in b-dlq", "critical"],
      ["Dead letters waiting in c-dlq", "warning"],
    ]);
    // Both leased by a view: nothing visible, and still arriving.
    expect(incidents[0]!.detail).toContain("2 arrived in the last 15 min");
    expect(incidents[1]!.detail).toContain("deleted by SQS in 2 h 40 min");
    expect(incidents[2]!.detail).toContain("none new in the last 15 min");
    expect(incidents[2]!.since).toBeUndefined();
  });

  it("names a subscription that feeds a DLQ", () => {
    const { incidents } = buildIncidents(
      facts({
        deadLetterQueues: [
          dlq("sns-dlq", {
            visible: 1,
            sources: [{ kind: "subscription", subscriptionArn: "s", topicArn: "t", endpoint: queueArn("audit") }],
          }),
        ],
      }),
    );
    expect(incidents[0]!.detail).toContain("from the subscription of audit.");
  });
});

describe("alarms", () => {
  const withAlarms = () =>
    buildTopology({
      ...fanOut(),
      alarms: [
        alarm("billing-dlq-not-empty", { queue: "billing-dlq" }, "ALARM", {
          reason: "Threshold Crossed: 1 datapoint [2.0] was greater than the threshold (0.0).",
          updatedAt: "2025-03-01T11:30:00.000Z",
        }),
        alarm("handler-errors", { fn: "billing-handler" }, "ALARM", { metricName: "Errors" }),
        alarm("orphan", { queue: "deleted" }, "ALARM"),
        alarm("quiet", { queue: "shipping-dlq" }, "OK"),
      ],
    });

  it("an alarm on a DLQ links to the DLQ's page, with its reason and when it changed", () => {
    const { incidents } = buildIncidents(facts({ topology: withAlarms() }));
    const found = incidents.find((i) => i.id.includes("billing-dlq-not-empty"))!;
    expect(found).toMatchObject({
      severity: "critical",
      kind: "alarm",
      title: "Alarm billing-dlq-not-empty is firing on dead-letter queue billing-dlq",
      detail:
        "ApproximateNumberOfMessagesVisible: Threshold Crossed: 1 datapoint [2.0] was greater than the threshold (0.0).",
      since: "2025-03-01T11:30:00.000Z",
      link: { href: "/dead-letters/billing-dlq", label: "Open the dead-letter queue" },
      related: [{ href: `/topology?node=${encodeURIComponent(aid("billing-dlq-not-empty"))}` }],
    });
  });

  it("an alarm on a function links to its charts and traces; one on nothing known to its own node; OK is no incident", () => {
    const { incidents } = buildIncidents(facts({ topology: withAlarms() }));
    expect(incidents.filter((i) => i.kind === "alarm").map((i) => i.title)).toEqual([
      "Alarm billing-dlq-not-empty is firing on dead-letter queue billing-dlq",
      "Alarm handler-errors is firing on function billing-handler",
      "Alarm orphan is firing",
    ]);
    const fnAlarm = incidents.find((i) => i.title.startsWith("Alarm handler-errors"))!;
    expect(fnAlarm.link.href).toBe("/dashboards/resource?kind=function&name=billing-handler");
    expect(fnAlarm.related.map((l) => l.href)).toContain("/traces?service=billing-handler");
    expect(fnAlarm.detail).toBe("Errors: CloudWatch gives no reason.");
    const orphan = incidents.find((i) => i.title === "Alarm orphan is firing")!;
    expect(orphan.link.href).toBe(`/topology?node=${encodeURIComponent(aid("orphan"))}`);
    expect(orphan.related).toEqual([]);
  });
});

describe("paused consumers", () => {
  it("a disabled mapping is a warning with the messages waiting and since when", () => {
    const a = fanOut();
    a.queues = a.queues.map((q) => (q.name === "shipping" ? { ...q, visible: 42 } : q));
    a.mappings = a.mappings.map((m) =>
      m.eventSourceArn === queueArn("shipping")
        ? { ...m, state: "Disabled", lastModified: "2025-03-01T11:00:00.000Z" }
        : m.eventSourceArn === queueArn("billing")
          ? { ...m, state: "Updating" }
          : m,
    );
    const { incidents } = buildIncidents(facts({ topology: buildTopology(a) }));
    expect(incidents).toEqual([
      {
        id: expect.stringMatching(/^paused-consumer:/),
        severity: "warning",
        kind: "paused-consumer",
        title: "Consumer shipping-handler is paused on queue shipping",
        detail: "Lambda is not polling shipping (mapping Disabled); 42 messages waiting there now.",
        since: "2025-03-01T11:00:00.000Z",
        link: {
          href: `/topology?node=${encodeURIComponent(qid("shipping"))}`,
          label: "Show the queue and its consumer",
        },
        related: [],
      },
    ]);
  });
});

describe("findings", () => {
  it("a critical finding is critical, a warning a notice, each on its node", () => {
    const t = buildTopology(
      account({
        topics: [topic("orders")],
        subscriptions: [sqsSub("orders", "gone"), sqsSub("orders", "work")],
        queues: [queue("work")],
        functions: [fn("worker")],
        mappings: [],
      }),
    );
    const { incidents } = buildIncidents(facts({ topology: t }));
    expect(incidents.map((i) => [i.severity, i.title, i.link.href])).toEqual([
      [
        "critical",
        "Subscription to a queue that does not exist: gone",
        `/topology?node=${encodeURIComponent(qid("gone"))}`,
      ],
      ["notice", "Queue nothing consumes: work", `/topology?node=${encodeURIComponent(qid("work"))}`],
    ]);
    expect(incidents[1]!.detail).toBe(
      "Queue work receives messages from SNS but no Lambda event source mapping consumes it.",
    );
  });
});

describe("burn alerts", () => {
  it("a page tier is critical and says the rates over both its windows, the threshold and the budget left", () => {
    const { incidents } = buildIncidents(
      facts({
        levels: {
          services: [service("queue", "billing", burning({ "1h": 31.24, "5m": 40.1 }, 0.623))],
          endToEnd: calm,
        },
      }),
    );
    expect(incidents).toEqual([
      {
        id: "burn:queue:billing",
        severity: "critical",
        kind: "burn",
        title: "Error budget burning: processing of queue billing",
        detail:
          "Burn rate 31.2× over the last 1 h and 40.1× over the last 5 min; the console pages above 14.4× " +
          "(2 % of the 30-day budget in 1 h). 62.3 % of the 30-day error budget left.",
        link: { href: "/dashboards/resource?kind=queue&name=billing", label: "Open its charts" },
        related: [{ href: `/topology?node=${encodeURIComponent(qid("billing"))}`, label: "Show on the topology" }],
      },
    ]);
  });

  it("the ticket tier is a warning; end to end links to the dashboards; an overspent budget says by how much", () => {
    const { incidents } = buildIncidents(
      facts({
        levels: {
          services: [
            service("function", "worker", burning({ "3d": 1.5, "6h": 2 }, -0.25)),
            service("path", "calm", calm),
          ],
          endToEnd: burning({ "6h": 7, "30m": 8 }),
        },
      }),
    );
    expect(incidents.map((i) => [i.severity, i.title, i.link.href])).toEqual([
      ["critical", "Error budget burning: the pipeline end to end", "/dashboards"],
      ["warning", "Error budget burning: function worker", "/dashboards/resource?kind=function&name=worker"],
    ]);
    expect(incidents[1]!.detail).toContain("the console files a ticket above 1×");
    expect(incidents[1]!.detail).toContain("Error budget over 30 days overspent by 25.0 %.");
    expect(incidents[1]!.related.map((l) => l.href)).toContain("/traces?service=worker");
  });
});

describe("ordering", () => {
  it("most severe first; within a severity burn, alarm, dead letters, paused consumer, finding; then the biggest", () => {
    const a = fanOut();
    a.alarms = a.alarms.map((x) => (x.name === "billing-dlq-not-empty" ? { ...x, state: "ALARM" as const } : x));
    a.mappings = a.mappings.map((m) => (m.eventSourceArn === queueArn("shipping") ? { ...m, state: "Disabled" } : m));
    a.queues.push(queue("loose"));
    a.subscriptions.push(sqsSub("orders", "loose"));
    const { incidents } = buildIncidents(
      facts({
        topology: buildTopology(a),
        deadLetterQueues: [
          dlq("small-dlq", { visible: 1, inflow: 0 }),
          dlq("big-dlq", { visible: 9, inflow: 0 }),
          dlq("new-dlq", { visible: 1, inflow: 1 }),
        ],
        levels: {
          services: [
            service("queue", "slow", burning({ "3d": 2, "6h": 2 })),
            service("queue", "fast", burning({ "1h": 20, "5m": 20 })),
          ],
          endToEnd: calm,
        },
      }),
    );
    expect(incidents.map((i) => `${i.severity} ${i.kind} ${i.title}`)).toEqual([
      "critical burn Error budget burning: processing of queue fast",
      "critical alarm Alarm billing-dlq-not-empty is firing on dead-letter queue billing-dlq",
      "critical dead-letters Dead letters arriving in new-dlq",
      "warning burn Error budget burning: processing of queue slow",
      "warning dead-letters Dead letters waiting in big-dlq",
      "warning dead-letters Dead letters waiting in small-dlq",
      "warning paused-consumer Consumer shipping-handler is paused on queue shipping",
      "notice finding Queue nothing consumes: loose",
    ]);
  });
});

describe("sources that did not answer", () => {
  it("names every source a failed read leaves out, so the page never says nothing is broken", () => {
    const { failed, incidents } = buildIncidents({
      now,
      topology: { ok: false, reason: "Nothing could be read from AWS: sqs: timeout" },
      deadLetters: { ok: false, reason: "SQS: throttled" },
      serviceLevels: { ok: false, reason: "CloudWatch: access denied" },
    });
    expect(incidents).toEqual([]);
    expect(failed).toEqual([
      { source: "alarms", reason: "Nothing could be read from AWS: sqs: timeout" },
      { source: "consumers", reason: "Nothing could be read from AWS: sqs: timeout" },
      { source: "configuration", reason: "Nothing could be read from AWS: sqs: timeout" },
      { source: "dead-letters", reason: "SQS: throttled" },
      { source: "service-levels", reason: "CloudWatch: access denied" },
    ]);
  });

  it("a part of the topology that failed names the sources it feeds; missing CloudWatch figures name the DLQs", () => {
    const f = facts({
      topology: buildTopology({ ...fanOut(), failures: [{ part: "cloudwatch", message: "AccessDenied" }] }),
    });
    f.deadLetters = { ok: true, value: { deadLetterQueues: [], metricsUnavailable: "CloudWatch did not answer" } };
    expect(buildIncidents(f).failed).toEqual([
      { source: "alarms", reason: "CloudWatch: AccessDenied" },
      { source: "configuration", reason: "CloudWatch: AccessDenied" },
      { source: "dead-letters", reason: "arrivals and age from CloudWatch: CloudWatch did not answer" },
    ]);
  });

  it("reads nothing as failed when every source answered", () => {
    expect(buildIncidents(facts({ topology: buildTopology(fanOut()) }))).toEqual({ incidents: [], failed: [] });
  });
});

describe("as a caller bound to some resources sees them", () => {
  const bound = (resources: string[]) => ({
    bindings: [{ role: "operator" as const, environments: ["production"], resources, from: "t" }],
  });
  /**
   * fanOut with billing's DLQ alarm firing, shipping's consumer paused, an unconsumed queue, dead
   * letters in two DLQs, shipping and the pipeline burning, and the SLA's path of each subscription.
   */
  function troubled() {
    const a = fanOut();
    a.alarms = a.alarms.map((x) => (x.name === "billing-dlq-not-empty" ? { ...x, state: "ALARM" as const } : x));
    a.mappings = a.mappings.map((m) => (m.eventSourceArn === queueArn("shipping") ? { ...m, state: "Disabled" } : m));
    a.queues = [
      ...a.queues.map((q) => (q.name === "billing-dlq" ? { ...q, tags: { team: "billing" } } : q)),
      queue("loose"),
    ];
    a.subscriptions.push(sqsSub("orders", "loose"));
    const topology = buildTopology(a);
    const paths = topology.edges
      .filter((e) => e.kind === "subscription")
      .map((e) => ({ ...service("path", e.to, calm), nodeId: e.to, edgeId: e.id }));
    return facts({
      topology,
      deadLetterQueues: [dlq("billing-dlq", { visible: 2, inflow: 1 }), dlq("shipping-dlq", { visible: 9, inflow: 0 })],
      levels: {
        services: [service("queue", "shipping", burning({ "1h": 20, "5m": 20 })), ...paths],
        endToEnd: burning({ "6h": 7, "30m": 8 }),
      },
    });
  }
  const titles = (list: { incidents: { title: string }[] }) => list.incidents.map((i) => i.title);

  it("leaves out what the topology and the SLA would not show them, and counts it", () => {
    const all = buildIncidents(troubled());
    expect(all.incidents).toHaveLength(7);
    // Unfiltered, the list is as it always was: no count of anything hidden.
    expect(all).not.toHaveProperty("hidden");
    const billing = buildIncidents(troubled(), visibilityOf(bound(["arn:aws:sqs:*:*:billing*"])));
    // The pipeline end to end counts paths they may not view: withheld, as on their service levels.
    expect(titles(billing)).toEqual([
      "Alarm billing-dlq-not-empty is firing on dead-letter queue billing-dlq",
      "Dead letters arriving in billing-dlq",
    ]);
    expect(billing.hidden).toBe(5);
  });

  it("keeps the pipeline end to end for whoever sees every path it counts", () => {
    const paths = buildIncidents(troubled(), visibilityOf(bound(["arn:aws:sns:*:*:orders", "arn:aws:sqs:*:*:*"])));
    expect(titles(paths)).toContain("Error budget burning: the pipeline end to end");
    // The one consumer paused is a function they may not view: its edge is not theirs.
    expect(paths.hidden).toBe(1);
    expect(titles(paths)).not.toContain("Consumer shipping-handler is paused on queue shipping");
  });

  it("a paused consumer shows to whoever sees its queue and its function; a tag binding uses the topology's tags", () => {
    const shipping = buildIncidents(
      troubled(),
      visibilityOf(bound(["arn:aws:sqs:*:*:shipping", "arn:aws:lambda:*:*:function:shipping-*"])),
    );
    expect(titles(shipping)).toEqual([
      "Error budget burning: processing of queue shipping",
      "Consumer shipping-handler is paused on queue shipping",
    ]);
    const tagged = {
      bindings: [{ role: "viewer" as const, environments: ["*"], tags: { team: "billing" }, from: "t" }],
    };
    expect(titles(buildIncidents(troubled(), visibilityOf(tagged)))).toEqual([
      "Alarm billing-dlq-not-empty is firing on dead-letter queue billing-dlq",
      "Dead letters arriving in billing-dlq",
    ]);
  });
});
