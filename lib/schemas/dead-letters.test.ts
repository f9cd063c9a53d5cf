import { describe, expect, it } from "vitest";
import { replayRequestSchema } from "./dead-letters";

const issuePaths = (input: unknown) => {
  const parsed = replayRequestSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join("."));
};

describe("replayRequestSchema", () => {
  it("takes edited bodies and attribute values up to SQS's 1 MiB, not the old 256 KiB", () => {
    const one = { messageIds: ["m1"] };
    expect(issuePaths({ ...one, edits: { body: "x".repeat(300_000) } })).toEqual([]);
    expect(issuePaths({ ...one, edits: { body: "x".repeat(1_048_576) } })).toEqual([]);
    expect(issuePaths({ ...one, edits: { body: "x".repeat(1_048_577) } })).toEqual(["edits.body"]);
    expect(
      issuePaths({ ...one, edits: { attributes: { a: { dataType: "String", stringValue: "v".repeat(300_000) } } } }),
    ).toEqual([]);
    expect(
      issuePaths({ ...one, edits: { attributes: { a: { dataType: "String", stringValue: "v".repeat(1_048_577) } } } }),
    ).toEqual(["edits.attributes.a.stringValue"]);
  });

  it("takes a target as a queue name or as { queue, override }", () => {
    expect(issuePaths({ all: true, target: "orders" })).toEqual([]);
    expect(issuePaths({ all: true, target: { queue: "orders" } })).toEqual([]);
    expect(issuePaths({ all: true, target: { queue: "orders", override: true } })).toEqual([]);
    for (const target of [
      "not a queue!",
      { queue: "orders", override: "yes" },
      { queue: "no spaces" },
      { queue: "orders", extra: 1 },
      42,
    ]) {
      const paths = issuePaths({ all: true, target });
      expect(paths.length).toBeGreaterThan(0);
      expect(paths.every((p) => p.startsWith("target"))).toBe(true);
    }
  });

  it("caps the rate at Fanout's engine's own limit; the move task's 1 to 500 is checked once the engine is known", () => {
    expect(issuePaths({ all: true, ratePerSecond: 0.5 })).toEqual([]);
    expect(issuePaths({ all: true, ratePerSecond: 3000 })).toEqual([]);
    expect(issuePaths({ all: true, ratePerSecond: 3001 })).toEqual(["ratePerSecond"]);
    expect(issuePaths({ all: true, ratePerSecond: 0 })).toEqual(["ratePerSecond"]);
  });
});
