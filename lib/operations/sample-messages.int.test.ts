import { describe, expect, it } from "vitest";
import { AppError } from "../domain/app-error";
import { getStore, listAudit } from "../store";
import { contextAs } from "../../test/context";
import { removeSampleMessage, sampleMessages, saveSampleMessage } from "./sample-messages";

const actor = contextAs("ada", "admin", { requestId: "req-s", env: { FANOUT_MASK_FIELDS: "customer.email" } });
const sample = {
  name: "paid order",
  body: '{"type":"order.paid"}',
  attributes: { eventType: { Type: "String" as const, Value: "order.paid" } },
};

describe("saved sample messages", () => {
  it("saves once, treats a retry as done, refuses another message under the same name, and audits", () => {
    const saved = saveSampleMessage(actor, sample);
    expect(saveSampleMessage(actor, sample).id).toBe(saved.id);
    const conflict = (() => {
      try {
        saveSampleMessage(actor, { ...sample, body: "{}" });
      } catch (err) {
        return err as AppError;
      }
    })();
    expect(conflict).toBeInstanceOf(AppError);
    expect(conflict!.status).toBe(409);
    expect(sampleMessages(actor).map((s) => s.name)).toContain("paid order");
    expect(listAudit(getStore(), { action: "sample-message.create" })).toHaveLength(1);
  });

  it("deletes, and a repeated delete changes nothing", () => {
    const saved = sampleMessages(actor).find((s) => s.name === "paid order")!;
    expect(removeSampleMessage(actor, saved.id)).toEqual({ deleted: true });
    expect(removeSampleMessage(actor, saved.id)).toEqual({ deleted: false });
    expect(listAudit(getStore(), { action: "sample-message.delete" })).toHaveLength(1);
    expect(sampleMessages(actor).find((s) => s.name === "paid order")).toBeUndefined();
  });

  it("serves saved samples masked by the rules in force, and keeps the audit masked too", () => {
    const secret = {
      name: "with a customer",
      body: JSON.stringify({ type: "order.paid", customer: { email: "kept-secret@example.com" } }),
      attributes: {},
    };
    const saved = saveSampleMessage(actor, secret);
    expect(saved.body).not.toContain("kept-secret@example.com");
    expect(JSON.stringify(sampleMessages(actor))).not.toContain("kept-secret@example.com");
    expect(JSON.parse(sampleMessages(actor).find((s) => s.name === "with a customer")!.body)).toEqual({
      type: "order.paid",
      customer: { email: "••••" },
    });
    // A retry of the same save still finds it done.
    expect(saveSampleMessage(actor, secret).id).toBe(saved.id);
    removeSampleMessage(actor, saved.id);
    expect(JSON.stringify(listAudit(getStore(), { limit: 10_000 }))).not.toContain("kept-secret@example.com");
  });
});
