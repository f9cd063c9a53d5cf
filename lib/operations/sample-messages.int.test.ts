import { describe, expect, it } from "vitest";
import { AppError } from "../domain/app-error";
import { getStore, listAudit } from "../store";
import type { Actor } from "./filter-policy";
import { removeSampleMessage, sampleMessages, saveSampleMessage } from "./sample-messages";

process.env.FANOUT_MASK_FIELDS = "customer.email";

const actor: Actor = { user: { name: "ada", role: "admin", provider: "credentials" }, requestId: "req-s" };
const sample = {
  name: "paid order",
  body: '{"type":"order.paid"}',
  attributes: { eventType: { Type: "String" as const, Value: "order.paid" } },
};

describe("saved sample messages", () => {
  it("saves once, treats a retry as done, refuses another message under the same name, and audits", () => {
    const saved = saveSampleMessage(sample, actor);
    expect(saveSampleMessage(sample, actor).id).toBe(saved.id);
    const conflict = (() => {
      try {
        saveSampleMessage({ ...sample, body: "{}" }, actor);
      } catch (err) {
        return err as AppError;
      }
    })();
    expect(conflict).toBeInstanceOf(AppError);
    expect(conflict!.status).toBe(409);
    expect(sampleMessages().map((s) => s.name)).toContain("paid order");
    expect(listAudit(getStore(), { action: "sample-message.create" })).toHaveLength(1);
  });

  it("deletes, and a repeated delete changes nothing", () => {
    const saved = sampleMessages().find((s) => s.name === "paid order")!;
    expect(removeSampleMessage(saved.id, actor)).toEqual({ deleted: true });
    expect(removeSampleMessage(saved.id, actor)).toEqual({ deleted: false });
    expect(listAudit(getStore(), { action: "sample-message.delete" })).toHaveLength(1);
    expect(sampleMessages().find((s) => s.name === "paid order")).toBeUndefined();
  });

  it("serves saved samples masked by the rules in force, and keeps the audit masked too", () => {
    const secret = {
      name: "with a customer",
      body: JSON.stringify({ type: "order.paid", customer: { email: "kept-secret@example.com" } }),
      attributes: {},
    };
    const saved = saveSampleMessage(secret, actor);
    expect(saved.body).not.toContain("kept-secret@example.com");
    expect(JSON.stringify(sampleMessages())).not.toContain("kept-secret@example.com");
    expect(JSON.parse(sampleMessages().find((s) => s.name === "with a customer")!.body)).toEqual({
      type: "order.paid",
      customer: { email: "••••" },
    });
    // A retry of the same save still finds it done.
    expect(saveSampleMessage(secret, actor).id).toBe(saved.id);
    removeSampleMessage(saved.id, actor);
    expect(JSON.stringify(listAudit(getStore(), { limit: 10_000 }))).not.toContain("kept-secret@example.com");
  });
});
