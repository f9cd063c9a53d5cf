import { describe, expect, it } from "vitest";
import { appErrorOf } from "../../test/app-error";
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
  it("saves once, treats a retry as done, refuses another message under the same name, and audits", async () => {
    const saved = await saveSampleMessage(actor, sample);
    expect((await saveSampleMessage(actor, sample)).id).toBe(saved.id);
    const conflict = await appErrorOf(saveSampleMessage(actor, { ...sample, body: "{}" }));
    expect(conflict.status).toBe(409);
    expect((await sampleMessages(actor)).map((s) => s.name)).toContain("paid order");
    expect(await listAudit(await getStore(), { action: "sample-message.create" })).toHaveLength(1);
  });

  it("deletes, and a repeated delete changes nothing", async () => {
    const saved = (await sampleMessages(actor)).find((s) => s.name === "paid order")!;
    expect(await removeSampleMessage(actor, saved.id)).toEqual({ deleted: true });
    expect(await removeSampleMessage(actor, saved.id)).toEqual({ deleted: false });
    expect(await listAudit(await getStore(), { action: "sample-message.delete" })).toHaveLength(1);
    expect((await sampleMessages(actor)).find((s) => s.name === "paid order")).toBeUndefined();
  });

  it("serves saved samples masked by the rules in force, and keeps the audit masked too", async () => {
    const secret = {
      name: "with a customer",
      body: JSON.stringify({ type: "order.paid", customer: { email: "kept-secret@example.com" } }),
      attributes: {},
    };
    const saved = await saveSampleMessage(actor, secret);
    expect(saved.body).not.toContain("kept-secret@example.com");
    const served = await sampleMessages(actor);
    expect(JSON.stringify(served)).not.toContain("kept-secret@example.com");
    expect(JSON.parse(served.find((s) => s.name === "with a customer")!.body)).toEqual({
      type: "order.paid",
      customer: { email: "••••" },
    });
    // A retry of the same save still finds it done.
    expect((await saveSampleMessage(actor, secret)).id).toBe(saved.id);
    await removeSampleMessage(actor, saved.id);
    expect(JSON.stringify(await listAudit(await getStore(), { limit: 10_000 }))).not.toContain(
      "kept-secret@example.com",
    );
  });
});
