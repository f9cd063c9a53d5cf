import { describe, expect, it, vi } from "vitest";
import {
  claimRedriveJob,
  createRedriveJob,
  heartbeatRedriveJob,
  findRedriveJobByClientKey,
  getRedriveJob,
  listRedriveItems,
  listRedriveJobs,
  recordRedriveItems,
  releaseRedriveJob,
  updateRedriveJob,
} from "./redrive-jobs";
import { DEFAULT_SCOPE, newRedriveJob, STORE_BACKENDS, temporaryStore } from "../../test/store-fixtures";

const staging = { environment: "staging", region: "eu-west-1" };

describe.each(STORE_BACKENDS)("redrive jobs in the store (%s)", (backend) => {
  const fresh = () => temporaryStore(backend, "fanout-jobs-");

  it("creates a running job and reads every field back", async () => {
    const db = await fresh();
    const created = await createRedriveJob(
      db,
      newRedriveJob("j1", {
        selection: { kind: "ids", ids: ["a", "b"] },
        edits: { body: "x" },
        ratePerSecond: 5,
        clientKey: "key-123456",
        remaining: 2,
      }),
    );
    expect(created).toMatchObject({
      id: "j1",
      status: "running",
      moved: 0,
      failed: 0,
      resent: 0,
      remaining: 2,
      ratePerSecond: 5,
      edits: { body: "x" },
      selection: { kind: "ids", ids: ["a", "b"] },
    });
    expect(created.scope).toEqual(DEFAULT_SCOPE);
    expect((await findRedriveJobByClientKey(db, DEFAULT_SCOPE, "otto", "key-123456"))?.id).toBe("j1");
    expect(await findRedriveJobByClientKey(db, DEFAULT_SCOPE, "someone-else", "key-123456")).toBeUndefined();
    expect(await findRedriveJobByClientKey(db, staging, "otto", "key-123456")).toBeUndefined();
    await expect(createRedriveJob(db, newRedriveJob("j2", { clientKey: "key-123456" }))).rejects.toThrow(
      /UNIQUE|unique constraint/,
    );
    // The key is the caller's for one environment and region: the same key elsewhere is another job.
    await createRedriveJob(db, newRedriveJob("j3", { clientKey: "key-123456", scope: staging }));
    expect((await findRedriveJobByClientKey(db, staging, "otto", "key-123456"))?.id).toBe("j3");
  });

  it("counts moved and failed from the items, so a recorded state is never counted twice", async () => {
    const db = await fresh();
    await createRedriveJob(db, newRedriveJob("j1"));
    await recordRedriveItems(db, "j1", [
      { messageId: "m1", state: "sending" },
      { messageId: "m2", state: "sending" },
    ]);
    await recordRedriveItems(db, "j1", [
      { messageId: "m1", state: "sent", targetMessageId: "c1" },
      { messageId: "m2", state: "failed", error: "InvalidMessageContents" },
    ]);
    await recordRedriveItems(db, "j1", [{ messageId: "m1", state: "moved" }]);
    await recordRedriveItems(db, "j1", [{ messageId: "m1", state: "moved" }]);
    // A crash after the send: the next run sends again and says so.
    await recordRedriveItems(db, "j1", [{ messageId: "m3", state: "sending" }]);
    await recordRedriveItems(db, "j1", [{ messageId: "m3", state: "sending", resent: true }]);
    expect(await getRedriveJob(db, "j1")).toMatchObject({ moved: 1, failed: 1, resent: 1 });
    const items = Object.fromEntries((await listRedriveItems(db, "j1")).map((i) => [i.messageId, i]));
    expect(items.m1).toMatchObject({ state: "moved", targetMessageId: "c1", attempts: 1 });
    expect(items.m2).toMatchObject({ state: "failed", error: "InvalidMessageContents" });
    expect(items.m3).toMatchObject({ state: "sending", attempts: 2 });
  });

  it("lets one owner hold a job, and another take it over only from the holder it saw", async () => {
    const db = await fresh();
    await createRedriveJob(db, newRedriveJob("j1"));
    const a = await claimRedriveJob(db, "j1", "host/1/a", null);
    expect(a).toEqual({ owner: "host/1/a", token: 1 });
    expect(await claimRedriveJob(db, "j1", "host/2/b", null)).toBeUndefined();
    expect(await claimRedriveJob(db, "j1", "host/2/b", "host/9/z")).toBeUndefined();
    const b = await claimRedriveJob(db, "j1", "host/2/b", "host/1/a");
    expect(b).toEqual({ owner: "host/2/b", token: 2 });
    // The old claim lets go of nothing: the job is no longer its to release.
    await releaseRedriveJob(db, "j1", a!);
    expect(await getRedriveJob(db, "j1")).toMatchObject({ owner: "host/2/b", leaseToken: 2 });
    await releaseRedriveJob(db, "j1", b!);
    expect((await getRedriveJob(db, "j1"))?.owner).toBeUndefined();
    await updateRedriveJob(db, "j1", { status: "paused" });
    expect(await claimRedriveJob(db, "j1", "host/1/a", null)).toBeUndefined();
  });

  it("fences a runner whose job was claimed again, even by its own owner name", async () => {
    const db = await fresh();
    await createRedriveJob(db, newRedriveJob("j1"));
    const first = (await claimRedriveJob(db, "j1", "host/1/a", null, 1_000))!;
    expect(await heartbeatRedriveJob(db, "j1", first, 2_000)).toBe(true);
    expect((await getRedriveJob(db, "j1"))?.heartbeatAt).toBe(2_000);
    const second = (await claimRedriveJob(db, "j1", "host/1/a", null, 3_000))!;
    expect(second.token).toBe(first.token + 1);
    expect(await heartbeatRedriveJob(db, "j1", first, 4_000)).toBe(false);
    expect(await heartbeatRedriveJob(db, "j1", second, 4_000)).toBe(true);
  });

  it("a heartbeat says whether the runner still holds the job", async () => {
    const db = await fresh();
    await createRedriveJob(db, newRedriveJob("j1"));
    const a = (await claimRedriveJob(db, "j1", "host/1/a", null, 1_000))!;
    expect(await heartbeatRedriveJob(db, "j1", a, 2_000)).toBe(true);
    expect(await claimRedriveJob(db, "j1", "host/2/b", "host/1/a", 70_000)).toBeDefined();
    expect(await heartbeatRedriveJob(db, "j1", a, 71_000)).toBe(false);
    expect(await getRedriveJob(db, "j1")).toMatchObject({ owner: "host/2/b", heartbeatAt: 70_000 });
  });

  it("keeps the time of an item's first send across resends", async () => {
    const db = await fresh();
    await createRedriveJob(db, newRedriveJob("j1"));
    await recordRedriveItems(db, "j1", [{ messageId: "m1", state: "sending" }], 1_000);
    await recordRedriveItems(db, "j1", [{ messageId: "m1", state: "sending", resent: true }], 400_000);
    await recordRedriveItems(db, "j1", [{ messageId: "m1", state: "sent", targetMessageId: "c1" }], 401_000);
    expect((await listRedriveItems(db, "j1"))[0]).toMatchObject({ state: "sent", attempts: 2, firstSentAt: 1_000 });
    expect(await getRedriveJob(db, "j1")).toMatchObject({ examined: 0, skipped: 0 });
    await updateRedriveJob(db, "j1", { examined: 12, skipped: 3 });
    expect(await getRedriveJob(db, "j1")).toMatchObject({ examined: 12, skipped: 3 });
  });

  it("changes status only from the status the caller saw", async () => {
    const db = await fresh();
    await createRedriveJob(db, newRedriveJob("j1"));
    expect(await updateRedriveJob(db, "j1", { status: "paused" }, "running")).toBe(true);
    expect(await updateRedriveJob(db, "j1", { status: "cancelled" }, "running")).toBe(false);
    expect((await getRedriveJob(db, "j1"))?.status).toBe("paused");
    await updateRedriveJob(db, "j1", { note: "waiting" });
    expect((await getRedriveJob(db, "j1"))?.note).toBe("waiting");
    await updateRedriveJob(db, "j1", { note: "" });
    expect((await getRedriveJob(db, "j1"))?.note).toBeUndefined();
  });

  it("lists jobs newest first, by queue and status", async () => {
    const db = await fresh();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.parse("2026-12-01T00:00:00.000Z") });
    await createRedriveJob(db, newRedriveJob("j1"));
    vi.advanceTimersByTime(1);
    await createRedriveJob(db, newRedriveJob("j2", { dlq: { name: "other-dlq", url: "u", arn: "a", fifo: false } }));
    vi.advanceTimersByTime(1);
    await createRedriveJob(db, newRedriveJob("j3"));
    vi.useRealTimers();
    await updateRedriveJob(db, "j3", { status: "completed" });
    expect((await listRedriveJobs(db, DEFAULT_SCOPE)).map((j) => j.id)).toEqual(["j3", "j2", "j1"]);
    expect((await listRedriveJobs(db, DEFAULT_SCOPE, { dlqName: "orders-dlq" })).map((j) => j.id)).toEqual([
      "j3",
      "j1",
    ]);
    expect((await listRedriveJobs(db, DEFAULT_SCOPE, { status: "running" })).map((j) => j.id)).toEqual(["j2", "j1"]);
  });

  it("lists one environment and region's jobs, or all of them for start-up's resume", async () => {
    const db = await fresh();
    // Newest first by creation time: one job per millisecond, so that the order is the creation order.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.parse("2026-12-01T00:00:00.000Z") });
    await createRedriveJob(db, newRedriveJob("here"));
    vi.advanceTimersByTime(1);
    await createRedriveJob(db, newRedriveJob("staging", { scope: staging }));
    vi.advanceTimersByTime(1);
    await createRedriveJob(db, newRedriveJob("other-region", { scope: { ...DEFAULT_SCOPE, region: "eu-west-1" } }));
    vi.useRealTimers();
    expect((await listRedriveJobs(db, DEFAULT_SCOPE)).map((j) => j.id)).toEqual(["here"]);
    expect((await listRedriveJobs(db, staging, { dlqName: "orders-dlq" })).map((j) => j.id)).toEqual(["staging"]);
    expect((await listRedriveJobs(db, "all", { status: "running" })).map((j) => j.scope)).toEqual([
      { ...DEFAULT_SCOPE, region: "eu-west-1" },
      staging,
      DEFAULT_SCOPE,
    ]);
    expect((await getRedriveJob(db, "staging"))?.scope).toEqual(staging);
  });
});
