import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { STORE_BACKENDS, temporaryStore } from "../../test/store-fixtures";
import type { Store, StoreBackend } from "./db";
import { appendAudit, listAudit, type NewAuditEntry } from "./audit";

const row = (requestId: string, fields: Partial<NewAuditEntry>): NewAuditEntry => ({
  actor: "ana",
  role: "operator",
  action: "filter-policy.update",
  target: "arn:aws:sns:us-east-1:123456789012:orders:1",
  before: null,
  after: null,
  requestId,
  outcome: "success",
  environment: "production",
  region: "us-east-1",
  account: "111111111111",
  ...fields,
});

/** Rows written at the given times, in that order. */
async function seed(backend: StoreBackend, rows: Array<[at: string, entry: NewAuditEntry]>): Promise<Store> {
  const db = await temporaryStore(backend, "fanout-audit-");
  // Only the clock: the PostgreSQL client's own timers keep running.
  vi.useFakeTimers({ toFake: ["Date"] });
  for (const [at, entry] of rows) {
    vi.setSystemTime(new Date(at));
    await appendAudit(db, entry);
  }
  vi.useRealTimers();
  return db;
}

const ids = (entries: Array<{ requestId: string }>) => entries.map((e) => e.requestId);

afterEach(() => vi.useRealTimers());

describe.each(STORE_BACKENDS)("listAudit's filters (%s)", (backend) => {
  let db: Store;
  beforeAll(async () => {
    db = await seed(backend, [
      [
        "2026-03-01T10:00:00.000Z",
        row("r1", { actor: "Otto.Operator", action: "consumer.pause", target: "queue/orders" }),
      ],
      ["2026-03-01T11:00:00.000Z", row("r2", { actor: "ada", action: "dead-letters.purge", outcome: "failure" })],
      ["2026-03-01T12:00:00.000Z", row("r3", { actor: "otto", target: "queue/100%_done", outcome: "pending" })],
      ["2026-03-01T13:00:00.000Z", row("r4", { actor: "vera", action: "auth.sign-in", target: "queue/100x-done" })],
      ["2026-03-01T14:00:00.000Z", row("r5", { actor: "bob", target: "a\\b" })],
    ]);
  });

  it("takes any of several actions", async () => {
    expect(ids(await listAudit(db, { action: ["consumer.pause", "auth.sign-in"] }))).toEqual(["r4", "r1"]);
    expect(ids(await listAudit(db, { action: "dead-letters.purge" }))).toEqual(["r2"]);
    expect(await listAudit(db, { action: [] })).toEqual([]);
  });

  it("matches part of the actor or the target, in any case", async () => {
    expect(ids(await listAudit(db, { actor: "OTT" }))).toEqual(["r3", "r1"]);
    expect(ids(await listAudit(db, { target: "ORDERS" }))).toEqual(["r2", "r1"]);
    expect(ids(await listAudit(db, { actor: "ott", target: "queue/o" }))).toEqual(["r1"]);
  });

  it("takes %, _ and the escape character in a target literally", async () => {
    expect(ids(await listAudit(db, { target: "100%" }))).toEqual(["r3"]);
    expect(ids(await listAudit(db, { target: "%_" }))).toEqual(["r3"]);
    expect(ids(await listAudit(db, { target: "0_d" }))).toEqual([]);
    expect(ids(await listAudit(db, { target: "a\\b" }))).toEqual(["r5"]);
    expect(ids(await listAudit(db, { actor: "_" }))).toEqual([]);
  });

  it("takes one outcome", async () => {
    expect(ids(await listAudit(db, { outcome: "failure" }))).toEqual(["r2"]);
    expect(ids(await listAudit(db, { outcome: "pending" }))).toEqual(["r3"]);
  });

  it("takes a time range with both ends included, in any ISO form", async () => {
    expect(ids(await listAudit(db, { from: "2026-03-01T11:00:00.000Z", to: "2026-03-01T13:00:00Z" }))).toEqual([
      "r4",
      "r3",
      "r2",
    ]);
    expect(ids(await listAudit(db, { from: "2026-03-01T14:00:00+02:00" }))).toEqual(["r5", "r4", "r3"]);
    expect(ids(await listAudit(db, { to: "2026-03-01T12:00:00+01:00" }))).toEqual(["r2", "r1"]);
  });

  it("combines the filters and keeps the limit", async () => {
    expect(ids(await listAudit(db, { actor: "o", outcome: "success", from: "2026-03-01T10:30:00Z" }))).toEqual(["r5"]);
    expect(ids(await listAudit(db, { target: "queue", limit: 2 }))).toEqual(["r4", "r3"]);
  });
});

describe.each(STORE_BACKENDS)("listAudit by environment, region and account (%s)", (backend) => {
  let db: Store;
  beforeAll(async () => {
    db = await seed(backend, [
      ["2026-03-01T10:00:00.000Z", row("prod-east", {})],
      ["2026-03-01T11:00:00.000Z", row("prod-west", { region: "us-west-2" })],
      [
        "2026-03-01T12:00:00.000Z",
        row("staging", { environment: "staging", region: "eu-west-1", account: "222222222222" }),
      ],
      ["2026-03-01T13:00:00.000Z", row("sign-in", { environment: null, region: null, account: null })],
    ]);
  });

  it("takes each exactly, and finds no entry of no environment by them", async () => {
    expect(ids(await listAudit(db, { environment: "production" }))).toEqual(["prod-west", "prod-east"]);
    expect(ids(await listAudit(db, { environment: "production", region: "us-west-2" }))).toEqual(["prod-west"]);
    expect(ids(await listAudit(db, { region: "eu-west-1" }))).toEqual(["staging"]);
    expect(ids(await listAudit(db, { account: "222222222222" }))).toEqual(["staging"]);
    expect(ids(await listAudit(db, { account: "22222222222" }))).toEqual([]);
    expect(ids(await listAudit(db, { environment: "prod" }))).toEqual([]);
  });

  it("reads each entry back with where it was done", async () => {
    expect((await listAudit(db, { environment: "staging" }))[0]).toMatchObject({
      environment: "staging",
      region: "eu-west-1",
      account: "222222222222",
    });
    expect((await listAudit(db, { limit: 1 }))[0]).toMatchObject({ environment: null, region: null, account: null });
  });
});
