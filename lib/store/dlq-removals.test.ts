import { describe, expect, it } from "vitest";
import { listDlqRemovals, recordDlqRemoval } from "./dlq-removals";
import { createRedriveJob, updateRedriveJob } from "./redrive-jobs";
import { DEFAULT_SCOPE as here, newRedriveJob, STORE_BACKENDS, temporaryStore } from "../../test/store-fixtures";

describe.each(STORE_BACKENDS)("DLQ removals in the store (%s)", (backend) => {
  const fresh = () => temporaryStore(backend, "fanout-removals-");

  it("keeps each removal with its time, by queue, oldest first, from a given time on", async () => {
    const db = await fresh();
    await recordDlqRemoval(db, here, "a-dlq", 10, "redrive", 2_000);
    await recordDlqRemoval(db, here, "a-dlq", 4, "delete", 1_000);
    await recordDlqRemoval(db, here, "b-dlq", 7, "purge", 3_000);
    await recordDlqRemoval(db, here, "a-dlq", 0, "redrive", 4_000); // nothing removed: nothing booked
    const all = await listDlqRemovals(db, here, ["a-dlq", "b-dlq", "c-dlq"], 0);
    expect(all.get("a-dlq")).toEqual([
      { at: 1_000, count: 4, source: "delete" },
      { at: 2_000, count: 10, source: "redrive" },
    ]);
    expect(all.get("b-dlq")).toEqual([{ at: 3_000, count: 7, source: "purge" }]);
    expect(all.has("c-dlq")).toBe(false);
    expect((await listDlqRemovals(db, here, ["a-dlq"], 2_000)).get("a-dlq")).toEqual([
      { at: 2_000, count: 10, source: "redrive" },
    ]);
  });

  it("keeps each environment and region's removals to itself, for queues of the same name", async () => {
    const db = await fresh();
    const staging = { environment: "staging", region: "us-east-1" };
    await recordDlqRemoval(db, here, "a-dlq", 10, "redrive", 1_000);
    await recordDlqRemoval(db, staging, "a-dlq", 3, "purge", 1_000);
    await recordDlqRemoval(db, { ...here, region: "eu-west-1" }, "a-dlq", 5, "delete", 1_000);
    expect((await listDlqRemovals(db, here, ["a-dlq"], 0)).get("a-dlq")).toEqual([
      { at: 1_000, count: 10, source: "redrive" },
    ]);
    expect((await listDlqRemovals(db, staging, ["a-dlq"], 0)).get("a-dlq")).toEqual([
      { at: 1_000, count: 3, source: "purge" },
    ]);
    expect((await listDlqRemovals(db, { ...staging, region: "eu-west-1" }, ["a-dlq"], 0)).size).toBe(0);
  });

  it("books a move task's progress in the job's own environment and region", async () => {
    const db = await fresh();
    const staging = { environment: "staging", region: "eu-west-1" };
    await createRedriveJob(db, newRedriveJob("task", { engine: "sqs-move-task", scope: staging }));
    await updateRedriveJob(db, "task", { moved: 12 });
    expect((await listDlqRemovals(db, here, ["orders-dlq"], 0)).size).toBe(0);
    expect((await listDlqRemovals(db, staging, ["orders-dlq"], 0)).get("orders-dlq")).toMatchObject([{ count: 12 }]);
  });

  it("books the growth of a move task's moved total at each poll, not the total at the end", async () => {
    const db = await fresh();
    await createRedriveJob(db, newRedriveJob("task", { engine: "sqs-move-task" }));
    for (const moved of [0, 10, 25, 25, 40]) await updateRedriveJob(db, "task", { moved });
    expect(
      (await listDlqRemovals(db, here, ["orders-dlq"], 0)).get("orders-dlq")?.map((r) => [r.count, r.source]),
    ).toEqual([
      [10, "move-task"],
      [15, "move-task"],
      [15, "move-task"],
    ]);
  });

  it("books nothing for Fanout's own engine through the job row (it books each deleted batch itself)", async () => {
    const db = await fresh();
    await createRedriveJob(db, newRedriveJob("own", { engine: "fanout" }));
    await updateRedriveJob(db, "own", { moved: 30 });
    expect((await listDlqRemovals(db, here, ["orders-dlq"], 0)).size).toBe(0);
  });
});
