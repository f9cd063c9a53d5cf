import { describe, expect, it } from "vitest";
import {
  checkLeaseAllowed,
  LEASE_SECONDS,
  leasedMsInLastHour,
  VIEWER_LEASE_LIMITS,
  viewerLeaseSeconds,
  viewerRenewalEnd,
} from "./dead-letter-lease";

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);

describe("checkLeaseAllowed", () => {
  const source = { maxReceiveCount: 5, deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:a-dlq" };

  it("refuses a viewer any queue that is not a dead-letter queue, and any source queue even when it is one", () => {
    expect(() => checkLeaseAllowed("viewer", { name: "live", deadLetter: false }, false)).toThrow(
      expect.objectContaining({ code: "forbidden", status: 403 }),
    );
    expect(() => checkLeaseAllowed("viewer", { name: "chain", deadLetter: true, source }, true)).toThrow(
      expect.objectContaining({ code: "forbidden" }),
    );
    expect(() => checkLeaseAllowed("viewer", { name: "a-dlq", deadLetter: true }, false)).not.toThrow();
  });

  it("asks an operator to confirm a source read, and lets them lease a live queue", () => {
    expect(() => checkLeaseAllowed("operator", { name: "src", deadLetter: false, source }, false)).toThrow(
      expect.objectContaining({ code: "confirmation_required", status: 428 }),
    );
    expect(() => checkLeaseAllowed("admin", { name: "src", deadLetter: false, source }, true)).not.toThrow();
    expect(() => checkLeaseAllowed("operator", { name: "live", deadLetter: false }, false)).not.toThrow();
  });
});

describe("viewer lease caps", () => {
  it("grants a full lease period on a fresh queue, and refuses a fourth lease at once", () => {
    expect(viewerLeaseSeconds("q", [], 0, T0)).toBe(LEASE_SECONDS);
    expect(() => viewerLeaseSeconds("q", [], VIEWER_LEASE_LIMITS.leases, T0)).toThrow(
      expect.objectContaining({ code: "throttled" }),
    );
  });

  it("counts only the rolling hour, future leased time included", () => {
    expect(leasedMsInLastHour([{ start: T0 - 70 * MIN, end: T0 - 55 * MIN }], T0)).toBe(5 * MIN);
    expect(leasedMsInLastHour([{ start: T0 - MIN, end: T0 + 4 * MIN }], T0)).toBe(5 * MIN);
  });

  it("renews up to 15 leased minutes, then refuses", () => {
    const span = { start: T0, end: T0 + 5 * MIN };
    const spans = [span];
    span.end = viewerRenewalEnd("q", span, spans, T0 + 4 * MIN);
    expect(span.end).toBe(T0 + 9 * MIN);
    span.end = viewerRenewalEnd("q", span, spans, T0 + 8 * MIN);
    expect(span.end).toBe(T0 + 13 * MIN);
    // Cut to what is left of the 15 minutes.
    span.end = viewerRenewalEnd("q", span, spans, T0 + 12 * MIN);
    expect(span.end).toBe(T0 + 15 * MIN);
    expect(() => viewerRenewalEnd("q", span, spans, T0 + 14 * MIN)).toThrow(
      expect.objectContaining({ code: "throttled", status: 429 }),
    );
  });

  it("does not let re-opening reset the hour", () => {
    const used = [{ start: T0, end: T0 + 10 * MIN }];
    expect(viewerLeaseSeconds("q", used, 0, T0 + 10 * MIN)).toBe(LEASE_SECONDS);
    const more = [...used, { start: T0 + 10 * MIN, end: T0 + 14.5 * MIN }];
    expect(() => viewerLeaseSeconds("q", more, 0, T0 + 14.5 * MIN)).toThrow(
      expect.objectContaining({ code: "throttled" }),
    );
    // An hour later the time is back.
    expect(viewerLeaseSeconds("q", more, 0, T0 + 75 * MIN)).toBe(LEASE_SECONDS);
  });
});
