/**
 * Runs SNS filter-policy conformance cases (JSONL, the format of
 * ../shared/conformance/sns-filter-policy/cases.jsonl) against the engine:
 *   npm run -s filter-policy:check -- FILE
 * Prints each failing case's id and why, then "N passed, M failed" on the last line.
 * Exit 0 when all pass, 1 when any fails, 2 when the file cannot be read or a line is not a case.
 */
import { readFileSync } from "node:fs";
import { checkConformanceCase, readConformanceJsonl } from "../lib/domain/filter-policy/conformance";

function main(): number {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: npm run -s filter-policy:check -- FILE.jsonl");
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    console.error(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  const read = readConformanceJsonl(text);
  if (!read.ok) {
    console.error(`${file} line ${read.line}: ${read.problem}`);
    return 2;
  }
  let passed = 0;
  let failed = 0;
  for (const kase of read.cases) {
    const result = checkConformanceCase(kase);
    if (result.passed) {
      passed++;
    } else {
      failed++;
      console.log(`${result.id}: ${result.why ?? "failed"}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = main();
