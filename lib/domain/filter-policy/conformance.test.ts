import { describe, expect, it } from "vitest";
import { sharedConformanceCases } from "../../../test/conformance-cases";
import { checkConformanceCase } from "./conformance";

const { present, cases } = sharedConformanceCases();

describe.skipIf(!present)("SNS filter-policy conformance cases", () => {
  it("reads all 198 cases", () => {
    expect(cases).toHaveLength(198);
  });

  it.each(cases.map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const result = checkConformanceCase(c);
    expect(result.why).toBeUndefined();
    expect(result.passed).toBe(true);
  });
});
