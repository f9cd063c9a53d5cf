import { describe, expect, it } from "vitest";
import { auditEntryFor } from "./audit-view";

describe("auditEntryFor", () => {
  const reveal = {
    id: 1,
    action: "dead-letters.reveal",
    after: { messageId: "m-1", path: "payload.customerId", fingerprint: "hmac-sha256:0123456789abcdef" },
  };

  it("hides a reveal's fingerprint from a viewer, keeping who revealed what path", () => {
    const seen = auditEntryFor(reveal, "viewer");
    expect(JSON.stringify(seen)).not.toContain("0123456789abcdef");
    expect(seen.after).toMatchObject({ messageId: "m-1", path: "payload.customerId" });
    expect(reveal.after.fingerprint).toBe("hmac-sha256:0123456789abcdef"); // the stored entry is not changed
  });

  it("shows it to operators and admins", () => {
    expect(auditEntryFor(reveal, "operator")).toEqual(reveal);
    expect(auditEntryFor(reveal, "admin")).toEqual(reveal);
  });

  it("leaves other entries alone", () => {
    const update = { id: 2, action: "filter-policy.update", after: { fingerprint: "not a reveal" } };
    expect(auditEntryFor(update, "viewer")).toBe(update);
  });
});
