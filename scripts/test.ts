/**
 * `npm test`: lint, typecheck, unit, store, integration and end-to-end tests, in that order, each
 * run even when an earlier one failed so that one run shows everything. Installs what the stages
 * need (the Python venv, PostgreSQL, a Chromium) first. Ends with one line, `N passed, M failed`,
 * where lint and typecheck count as one check each and every test counts as one.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { ensureVenv } from "../infra/local";
import { projectRoot } from "./lib/project-root";
import { ensureChromium } from "./lib/chromium";
import { ensurePostgres } from "./lib/postgres";

interface StageResult {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
  note?: string;
}

const outputDir = path.join(projectRoot, ".test-output");
const bin = (name: string) => path.join(projectRoot, "node_modules/.bin", name);

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: "inherit", env });
  return result.status ?? 1;
}

function timed(name: string, body: () => Omit<StageResult, "name" | "seconds">): StageResult {
  console.log(`\n━━ ${name} ━━`);
  const started = Date.now();
  let outcome: Omit<StageResult, "name" | "seconds">;
  try {
    outcome = body();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    outcome = { passed: 0, failed: 1, skipped: 0, note: "could not run" };
  }
  return { name, seconds: (Date.now() - started) / 1000, ...outcome };
}

/** A check that is one pass or one failure: lint, typecheck. */
function check(command: string, args: string[]) {
  return run(command, args) === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
}

/** Counts from a vitest JSON report; a crash before the report counts as one failure. */
function vitest(project: string) {
  const report = path.join(outputDir, `${project}.json`);
  rmSync(report, { force: true });
  const status = run(bin("vitest"), [
    "run",
    "--project",
    project,
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
  ]);
  if (!existsSync(report)) return { passed: 0, failed: 1, skipped: 0, note: `exit ${status}, no report` };
  const r = JSON.parse(readFileSync(report, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    numFailedTestSuites: number;
  };
  // A test file that failed to load has no failed tests but must not pass silently.
  const failed = r.numFailedTests + (r.numFailedTests === 0 && status !== 0 ? Math.max(1, r.numFailedTestSuites) : 0);
  return { passed: r.numPassedTests, failed, skipped: r.numPendingTests + r.numTodoTests };
}

/** Counts from Playwright's JSON report. */
function playwright(env: NodeJS.ProcessEnv) {
  const report = path.join(outputDir, "e2e.json");
  rmSync(report, { force: true });
  const status = run(bin("playwright"), ["test"], env);
  if (!existsSync(report)) return { passed: 0, failed: 1, skipped: 0, note: `exit ${status}, no report` };
  const r = JSON.parse(readFileSync(report, "utf8")) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
    errors?: unknown[];
  };
  const setupFailed = (r.errors?.length ?? 0) > 0 ? 1 : 0;
  return {
    passed: r.stats.expected,
    failed: r.stats.unexpected + r.stats.flaky + setupFailed,
    skipped: r.stats.skipped,
  };
}

function main() {
  mkdirSync(outputDir, { recursive: true });
  const results: StageResult[] = [];

  results.push(timed("lint (eslint, prettier)", () => check("npm", ["run", "-s", "lint"])));
  results.push(timed("typecheck (tsc)", () => check(bin("tsc"), ["--noEmit"])));
  results.push(
    timed("cfn-lint (infra/template.yaml)", () => {
      ensureVenv();
      return check(path.join(projectRoot, ".venv/bin/cfn-lint"), ["infra/template.yaml"]);
    }),
  );
  results.push(timed("unit (vitest)", () => vitest("unit")));
  results.push(
    timed("store (vitest + postgresql)", () => {
      // Installed here, once, before the store and integration projects each start a server on it.
      console.log(`[postgres] ${ensurePostgres()}`);
      return vitest("store");
    }),
  );
  results.push(
    timed("integration (vitest + moto + postgresql)", () => {
      ensureVenv();
      return vitest("integration");
    }),
  );
  results.push(
    timed("end to end (playwright + chromium + moto)", () => {
      ensureVenv();
      const browser = ensureChromium();
      console.log(`[browser] ${browser}`);
      return playwright({ ...process.env, CHROMIUM_PATH: browser });
    }),
  );

  console.log("\n━━ summary ━━");
  for (const r of results) {
    const counts = `${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ""}`;
    console.log(
      `${r.failed ? "✗" : "✓"} ${r.name.padEnd(44)} ${counts.padEnd(32)} ${r.seconds.toFixed(0).padStart(4)} s${r.note ? `  (${r.note})` : ""}`,
    );
  }
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const skipped = results.reduce((n, r) => n + r.skipped, 0);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exit(failed > 0 ? 1 : 0);
}

main();
