import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkConformanceCase, readConformanceJsonl } from "./conformance";

// The shared conformance cases, recorded against AWS or taken from the SNS Developer Guide (see their README).
const casesFile = path.resolve(process.cwd(), "../shared/conformance/sns-filter-policy/cases.jsonl");
const read = readConformanceJsonl(readFileSync(casesFile, "utf8"));
if (!read.ok) throw new Error(`${casesFile} line ${read.line}: ${read.problem}`);
const cases = read.cases;

describe("SNS filter-policy conformance cases", () => {
  it("reads all 198 cases", () => {
    expect(cases).toHaveLength(198);
  });

  it.each(cases.map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const result = checkConformanceCase(c);
    expect(result.why).toBeUndefined();
    expect(result.passed).toBe(true);
  });
});
