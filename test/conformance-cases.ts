import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { readConformanceJsonl, type ConformanceCase } from "../lib/domain/filter-policy/conformance";

/**
 * The shared SNS filter-policy conformance cases, kept beside the repository in ../shared. A clone
 * without them gets none (its conformance test is skipped), except in CI, where they must be there.
 */
export function sharedConformanceCases(): { file: string; present: boolean; cases: ConformanceCase[] } {
  const file = path.resolve(process.cwd(), "../shared/conformance/sns-filter-policy/cases.jsonl");
  if (!existsSync(file)) {
    if (process.env.CI)
      throw new Error(`${file} is missing: CI runs with the shared conformance cases beside the repository`);
    return { file, present: false, cases: [] };
  }
  const read = readConformanceJsonl(readFileSync(file, "utf8"));
  if (!read.ok) throw new Error(`${file} line ${read.line}: ${read.problem}`);
  return { file, present: true, cases: read.cases };
}
