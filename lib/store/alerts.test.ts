import { describe, expect, it } from "vitest";
import { advanceAlert, type AlertEvaluation, type AlertState } from "../domain/alerts/alert-state";
import type { Silence } from "../domain/alerts/silences";
import { listDeliveries } from "./alert-outbox";
import {
  addSilence,
  endSilence,
  listAlertStates,
  listDlqDepthReadings,
  listSilences,
  saveAlertState,
  saveDlqDepthReadings,
} from "./alerts";
import { DEFAULT_SCOPE as here, STORE_BACKENDS, temporaryStore } from "../../test/store-fixtures";

const MINUTE = 60_000;
const dlq = (name: string) => `arn:aws:sqs:us-east-1:111111111111:${name}`;

const evaluation = (resource: string, firing: boolean): AlertEvaluation => ({
  ...here,
  rule: "dead-letters-arrived",
  resource,
  firing,
  summary: firing ? "holds dead letters" : "is empty",
  link: "http://127.0.0.1:3000/dlq",
  news: firing ? { count: 2, newestId: "m-2", firstError: "Timeout" } : undefined,
});

const step = (stored: AlertState | undefined, e: AlertEvaluation, now: number) =>
  advanceAlert(stored, e, { now, renotifyEveryMs: 60 * MINUTE, silenced: false });

describe.each(STORE_BACKENDS)("alert states in the store (%s)", (backend) => {
  it("keeps an alert's state with the notifications it made, in one write, refusing a write from a stale read", async () => {
    const db = await temporaryStore(backend, "fanout-alerts-");
    const fired = step(undefined, evaluation(dlq("orders-dlq"), true), 1_000);
    const deliveries = [
      { destination: "ops-webhook", payload: '{"status":"firing"}' },
      { destination: "pagerduty", payload: '{"event_action":"trigger"}' },
    ];
    expect(await saveAlertState(db, fired.state!, deliveries, 1_000)).toBe(true);
    const [stored] = await listAlertStates(db, here);
    expect(stored).toEqual({ ...fired.state, version: 1 });
    expect((await listDeliveries(db, here)).map((d) => [d.destination, d.dedupKey, d.nextAttemptAt])).toEqual([
      ["pagerduty", `default/us-east-1/dead-letters-arrived/${dlq("orders-dlq")}`, 1_000],
      ["ops-webhook", `default/us-east-1/dead-letters-arrived/${dlq("orders-dlq")}`, 1_000],
    ]);

    // A second evaluator that read nothing (version 0), or the version before, writes nothing, not even its deliveries.
    expect(await saveAlertState(db, fired.state!, deliveries, 2_000)).toBe(false);
    const resolved = step(stored, evaluation(dlq("orders-dlq"), false), 2 * MINUTE);
    expect(await saveAlertState(db, resolved.state!, [{ destination: "ops-webhook", payload: "{}" }])).toBe(true);
    expect(await saveAlertState(db, resolved.state!, [{ destination: "ops-webhook", payload: "{}" }])).toBe(false);
    expect(await listDeliveries(db, here)).toHaveLength(3);
    expect(await listAlertStates(db, here)).toEqual([
      expect.objectContaining({ status: "resolved", resolvedAt: 2 * MINUTE, since: 1_000, version: 2 }),
    ]);
    await db.destroy();
  });

  it("lists firing and resolved alerts of an environment and region, latest first, untold news kept", async () => {
    const db = await temporaryStore(backend, "fanout-alerts-");
    const silenced = advanceAlert(undefined, evaluation(dlq("a-dlq"), true), {
      now: 1_000,
      renotifyEveryMs: MINUTE,
      silenced: true,
    });
    await saveAlertState(db, silenced.state!);
    await saveAlertState(db, step(undefined, evaluation(dlq("b-dlq"), true), 2_000).state!);
    const b = (await listAlertStates(db, here)).find((s) => s.resource === dlq("b-dlq"))!;
    await saveAlertState(db, step(b, evaluation(dlq("b-dlq"), false), 3_000).state!);
    const staging = { environment: "staging", region: "us-east-1" };
    await saveAlertState(db, { ...step(undefined, evaluation(dlq("c-dlq"), true), 4_000).state!, ...staging });

    expect((await listAlertStates(db, here)).map((s) => [s.resource, s.status])).toEqual([
      [dlq("b-dlq"), "resolved"],
      [dlq("a-dlq"), "firing"],
    ]);
    expect(await listAlertStates(db, here, { status: "firing" })).toEqual([
      expect.objectContaining({ untold: { count: 2, newestId: "m-2", firstError: "Timeout" } }),
    ]);
    expect((await listAlertStates(db, staging)).map((s) => s.resource)).toEqual([dlq("c-dlq")]);
    await db.destroy();
  });
});

describe.each(STORE_BACKENDS)("DLQ depth readings in the store (%s)", (backend) => {
  it("keeps each environment and region's last readings by ARN, replaced whole by the next evaluation", async () => {
    const db = await temporaryStore(backend, "fanout-alerts-");
    expect(await listDlqDepthReadings(db, here)).toEqual(new Map());
    const staging = { environment: "staging", region: "us-east-1" };
    await saveDlqDepthReadings(db, staging, new Map([[dlq("c-dlq"), { depth: 9, at: 500 }]]));
    await saveDlqDepthReadings(
      db,
      here,
      new Map([
        [dlq("a-dlq"), { depth: 3, at: 1_700_000_000_000 }],
        [dlq("b-dlq"), { depth: 0, at: 1_700_000_000_000 }],
      ]),
    );
    expect(await listDlqDepthReadings(db, here)).toEqual(
      new Map([
        [dlq("a-dlq"), { depth: 3, at: 1_700_000_000_000 }],
        [dlq("b-dlq"), { depth: 0, at: 1_700_000_000_000 }],
      ]),
    );
    // The next evaluation's readings replace them: b-dlq is gone, a-dlq holds more.
    await saveDlqDepthReadings(db, here, new Map([[dlq("a-dlq"), { depth: 7, at: 1_700_000_060_000 }]]));
    expect(await listDlqDepthReadings(db, here)).toEqual(
      new Map([[dlq("a-dlq"), { depth: 7, at: 1_700_000_060_000 }]]),
    );
    expect(await listDlqDepthReadings(db, staging)).toEqual(new Map([[dlq("c-dlq"), { depth: 9, at: 500 }]]));
    await saveDlqDepthReadings(db, here, new Map());
    expect(await listDlqDepthReadings(db, here)).toEqual(new Map());
    await db.destroy();
  });
});

const silence = (id: string, fields: Partial<Silence> = {}): Silence => ({
  id,
  ...here,
  rule: "dead-letters-arrived",
  reason: "replaying after the fix",
  createdBy: "otto",
  createdAt: 1_000,
  expiresAt: 1_000 + 30 * MINUTE,
  ...fields,
});

describe.each(STORE_BACKENDS)("silences in the store (%s)", (backend) => {
  it("keeps silences as made, lists those holding at a time, and ends one once", async () => {
    const db = await temporaryStore(backend, "fanout-silences-");
    await addSilence(db, silence("s1"));
    await addSilence(db, silence("s2", { rule: undefined, resource: "arn:aws:sqs:*:*:payments-*", createdAt: 2_000 }));
    await addSilence(db, silence("s3", { createdAt: 3_000, expiresAt: 4_000 }));
    await addSilence(db, silence("s4", { environment: "staging" }));

    expect(await listSilences(db, here)).toEqual([
      silence("s3", { createdAt: 3_000, expiresAt: 4_000 }),
      silence("s2", { rule: undefined, resource: "arn:aws:sqs:*:*:payments-*", createdAt: 2_000 }),
      silence("s1"),
    ]);
    expect((await listSilences(db, here, { activeAt: 1_500 })).map((s) => s.id)).toEqual(["s1"]);
    expect((await listSilences(db, here, { activeAt: 3_500 })).map((s) => s.id)).toEqual(["s3", "s2", "s1"]);
    expect((await listSilences(db, here, { activeAt: 4_000 })).map((s) => s.id)).toEqual(["s2", "s1"]);

    expect(await endSilence(db, here, "s1", "vera", 5_000)).toBe(true);
    expect(await endSilence(db, here, "s1", "vera", 6_000)).toBe(false);
    // Expired already, or another environment's: nothing to end.
    expect(await endSilence(db, here, "s3", "vera", 6_000)).toBe(false);
    expect(await endSilence(db, here, "s4", "vera", 6_000)).toBe(false);
    expect((await listSilences(db, here, { activeAt: 5_000 })).map((s) => s.id)).toEqual(["s2"]);
    expect((await listSilences(db, here)).find((s) => s.id === "s1")).toMatchObject({
      endedAt: 5_000,
      endedBy: "vera",
    });
    await db.destroy();
  });
});
