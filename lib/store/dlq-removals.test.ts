import { describe, expect, it } from "vitest";
import { listDlqRemovals, recordDlqRemoval } from "./dlq-removals";
import { createRedriveJob, updateRedriveJob } from "./redrive-jobs";
import { DEFAULT_SCOPE as here, newRedriveJob, temporaryDatabase } from "../../test/store-fixtures";

const fresh = () => temporaryDatabase("fanout-removals-");

describe("DLQ removals in the store", () => {
  it("keeps each removal with its time, by queue, oldest first, from a given time on", () => {
    const db = fresh();
    recordDlqRemoval(db, here, "a-dlq", 10, "redrive", 2_000);
    recordDlqRemoval(db, here, "a-dlq", 4, "delete", 1_000);
    recordDlqRemoval(db, here, "b-dlq", 7, "purge", 3_000);
    recordDlqRemoval(db, here, "a-dlq", 0, "redrive", 4_000); // nothing removed: nothing booked
    const all = listDlqRemovals(db, here, ["a-dlq", "b-dlq", "c-dlq"], 0);
    expect(all.get("a-dlq")).toEqual([
      { at: 1_000, count: 4, source: "delete" },
      { at: 2_000, count: 10, source: "redrive" },
    ]);
    expect(all.get("b-dlq")).toEqual([{ at: 3_000, count: 7, source: "purge" }]);
    expect(all.has("c-dlq")).toBe(false);
    expect(listDlqRemovals(db, here, ["a-dlq"], 2_000).get("a-dlq")).toEqual([
      { at: 2_000, count: 10, source: "redrive" },
    ]);
  });

  it("keeps each environment and region's removals to itself, for queues of the same name", () => {
    const db = fresh();
    const staging = { environment: "staging", region: "us-east-1" };
    recordDlqRemoval(db, here, "a-dlq", 10, "redrive", 1_000);
    recordDlqRemoval(db, staging, "a-dlq", 3, "purge", 1_000);
    recordDlqRemoval(db, { ...here, region: "eu-west-1" }, "a-dlq", 5, "delete", 1_000);
    expect(listDlqRemovals(db, here, ["a-dlq"], 0).get("a-dlq")).toEqual([{ at: 1_000, count: 10, source: "redrive" }]);
    expect(listDlqRemovals(db, staging, ["a-dlq"], 0).get("a-dlq")).toEqual([{ at: 1_000, count: 3, source: "purge" }]);
    expect(listDlqRemovals(db, { ...staging, region: "eu-west-1" }, ["a-dlq"], 0).size).toBe(0);
  });

  it("books a move task's progress in the job's own environment and region", () => {
    const db = fresh();
    const staging = { environment: "staging", region: "eu-west-1" };
    createRedriveJob(db, newRedriveJob("task", { engine: "sqs-move-task", scope: staging }));
    updateRedriveJob(db, "task", { moved: 12 });
    expect(listDlqRemovals(db, here, ["orders-dlq"], 0).size).toBe(0);
    expect(listDlqRemovals(db, staging, ["orders-dlq"], 0).get("orders-dlq")).toMatchObject([{ count: 12 }]);
  });

  it("books the growth of a move task's moved total at each poll, not the total at the end", () => {
    const db = fresh();
    createRedriveJob(db, newRedriveJob("task", { engine: "sqs-move-task" }));
    for (const moved of [0, 10, 25, 25, 40]) updateRedriveJob(db, "task", { moved });
    expect(
      listDlqRemovals(db, here, ["orders-dlq"], 0)
        .get("orders-dlq")
        ?.map((r) => [r.count, r.source]),
    ).toEqual([
      [10, "move-task"],
      [15, "move-task"],
      [15, "move-task"],
    ]);
  });

  it("books nothing for Fanout's own engine through the job row (it books each deleted batch itself)", () => {
    const db = fresh();
    createRedriveJob(db, newRedriveJob("own", { engine: "fanout" }));
    updateRedriveJob(db, "own", { moved: 30 });
    expect(listDlqRemovals(db, here, ["orders-dlq"], 0).size).toBe(0);
  });
});
