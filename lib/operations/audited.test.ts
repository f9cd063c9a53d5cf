import { describe, expect, it } from "vitest";
import type { NewAuditEntry } from "../store";
import { auditedChange, auditEntry } from "./audited";

const ctx = { actor: { name: "otto", role: "operator" as const }, requestId: "req-1" };
const entry = {
  action: "dead-letters.purge" as const,
  target: "arn:aws:sqs:us-east-1:123456789012:q-dlq",
  before: { visible: 3 },
  after: { visible: 3 },
};

describe("auditedChange", () => {
  it("writes the intent before the change and the outcome after it", async () => {
    const written: NewAuditEntry[] = [];
    const order: string[] = [];
    const out = await auditedChange(ctx, entry, async () => (order.push(`change after ${written.length} row(s)`), 42), {
      write: async (e) => void written.push(e),
    });
    expect(out).toEqual({ result: 42 });
    expect(order).toEqual(["change after 1 row(s)"]);
    expect(written.map((e) => e.outcome)).toEqual(["pending", "success"]);
    expect(written.every((e) => e.requestId === "req-1" && e.actor === "otto" && e.role === "operator")).toBe(true);
  });

  it("makes no change when the intent cannot be written", async () => {
    let changed = false;
    const failing = async () => {
      throw new Error("database is locked");
    };
    await expect(auditedChange(ctx, entry, async () => void (changed = true), { write: failing })).rejects.toThrow(
      "database is locked",
    );
    expect(changed).toBe(false);
  });

  it("reports, not fails, a change whose outcome row cannot be written: the intent records it", async () => {
    const written: NewAuditEntry[] = [];
    const write = async (e: NewAuditEntry) => {
      if (e.outcome !== "pending") throw new Error("disk full");
      written.push(e);
    };
    const out = await auditedChange(ctx, entry, async () => "done", { write });
    expect(out.result).toBe("done");
    expect(out.auditWarning).toMatch(/outcome could not be recorded: disk full/);
    expect(written).toHaveLength(1);
  });

  it("records a failure with what the change says happened, and rethrows", async () => {
    const written: NewAuditEntry[] = [];
    const err = new Error("SQS refused");
    await expect(
      auditedChange(ctx, entry, () => Promise.reject(err), {
        write: async (e) => void written.push(e),
        onFailure: () => ({ after: { deleted: ["m-1"] } }),
      }),
    ).rejects.toBe(err);
    expect(written.map((e) => [e.outcome, e.after, e.detail ?? ""])).toEqual([
      ["pending", { visible: 3 }, expect.stringContaining("intent")],
      ["failure", { deleted: ["m-1"] }, "SQS refused"],
    ]);
  });
});

describe("auditEntry", () => {
  it("names the actor, their role and request, with null before/after and success unless given", () => {
    expect(auditEntry(ctx, { action: "queue.read", target: "arn:q" })).toEqual({
      actor: "otto",
      role: "operator",
      action: "queue.read",
      target: "arn:q",
      before: null,
      after: null,
      requestId: "req-1",
      outcome: "success",
      environment: null,
      region: null,
      account: null,
    });
  });

  it("says where it was done: the environment, its region and its configured account", () => {
    const staging = { id: "staging", region: "eu-west-1", accountId: "222222222222" };
    expect(auditEntry({ ...ctx, environment: staging }, { action: "queue.read", target: "t" })).toMatchObject({
      environment: "staging",
      region: "eu-west-1",
      account: "222222222222",
    });
    // No account configured and no clients to ask: unknown, never a guess.
    expect(
      auditEntry(
        { ...ctx, environment: { id: "default", region: "us-east-1" } },
        { action: "queue.read", target: "t" },
      ),
    ).toMatchObject({ environment: "default", region: "us-east-1", account: null });
  });

  it("keeps what is given, and a detail only when there is one", () => {
    const entry = auditEntry(
      { actor: { name: "job-owner", role: "admin" }, requestId: "req-9" },
      { action: "queue.read", target: "t", before: { a: 1 }, after: { a: 2 }, outcome: "failure", detail: "why" },
    );
    expect(entry).toMatchObject({
      actor: "job-owner",
      before: { a: 1 },
      after: { a: 2 },
      outcome: "failure",
      detail: "why",
    });
    expect(auditEntry(ctx, { action: "queue.read", target: "t", detail: "" })).not.toHaveProperty("detail");
  });
});
