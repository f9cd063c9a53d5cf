import { describe, expect, it } from "vitest";
import { openStoredDestination, sealDestination } from "./sealed-destinations";
import { UnsealError } from "./sealing";

const SECRET = "s".repeat(32);
const setting = {
  name: "on-call",
  kind: "pagerduty",
  routingKey: "routing-key-1234",
  url: "https://events.pagerduty.com/v2/enqueue",
} as const;

describe("destinations sealed in the store", () => {
  it("open for their own row and environment under the same server secret, and hold no secret in sight", () => {
    const sealed = sealDestination(SECRET, { id: "a", environment: "production" }, setting);
    expect(sealed).not.toContain("routing-key");
    expect(openStoredDestination(SECRET, { id: "a", environment: "production", sealed })).toEqual(setting);
  });

  it("refuse another row, another environment or another server secret", () => {
    const sealed = sealDestination(SECRET, { id: "a", environment: "production" }, setting);
    expect(() => openStoredDestination(SECRET, { id: "b", environment: "production", sealed })).toThrow(UnsealError);
    expect(() => openStoredDestination(SECRET, { id: "a", environment: "staging", sealed })).toThrow(UnsealError);
    expect(() => openStoredDestination("t".repeat(32), { id: "a", environment: "production", sealed })).toThrow(
      UnsealError,
    );
  });
});
