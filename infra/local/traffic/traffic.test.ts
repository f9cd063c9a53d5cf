import { describe, expect, it } from "vitest";
import { parseOrderEvent } from "../../functions/shared/order-event";
import { orderEvent } from "../../functions/shared/testing";
import { createOrderStream, isDeliberatePoisonError } from "./traffic";

function errorOf(body: string): string {
  try {
    parseOrderEvent(body);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`parseOrderEvent accepted ${body}`);
}

describe("isDeliberatePoisonError", () => {
  it("recognises what every poison event the generator makes fails with, flagged or not JSON", () => {
    let seed = 1;
    const rand = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const next = createOrderStream(rand, { poisonShare: 1, testShare: 0 });
    const errors = Array.from({ length: 8 }, () => errorOf(next().body));
    expect(errors.some((e) => e.startsWith("malformed JSON: "))).toBe(true);
    expect(errors.some((e) => e.startsWith("poison message: "))).toBe(true);
    expect(errors.filter((e) => !isDeliberatePoisonError(e))).toEqual([]);
  });

  it("does not take an event that breaks the schema, or another error, for deliberate poison", () => {
    expect(isDeliberatePoisonError(errorOf(JSON.stringify({ ...orderEvent(), amount: -1 })))).toBe(false);
    expect(isDeliberatePoisonError("connect ECONNREFUSED 127.0.0.1:4566")).toBe(false);
    expect(isDeliberatePoisonError("upstream said: poison message: e-1")).toBe(false);
  });
});
