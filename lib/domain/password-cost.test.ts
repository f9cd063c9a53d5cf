import { describe, expect, it } from "vitest";
import { bcryptCost, decoyCost } from "./password-cost";

const hash = (cost: string) => `$2b$${cost}$${"a".repeat(53)}`;

describe("password hash costs", () => {
  it("reads the cost of a bcrypt hash", () => {
    expect(bcryptCost(hash("12"))).toBe(12);
    expect(bcryptCost("$2a$04$" + "a".repeat(53))).toBe(4);
    expect(bcryptCost("plain")).toBeUndefined();
  });

  it("picks the decoy cost the configured users' hashes have most, the higher on a tie", () => {
    expect(decoyCost([hash("12"), hash("10"), hash("12")])).toBe(12);
    expect(decoyCost([hash("10"), hash("12")])).toBe(12);
    expect(decoyCost([hash("04")])).toBe(4);
    expect(decoyCost([])).toBeUndefined();
  });
});
