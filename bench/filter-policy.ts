/**
 * `npm run -s bench:filter-policy`: the filter-policy engine against a naive interpreter, same run.
 * Takes the valid policies of the shared conformance cases, generates messages for each (values the
 * policy names, near misses, other types, arrays, absent keys), evaluates every message with both, and
 * fails (exit 1) if they ever disagree. Prints one JSON object:
 * { evaluations, seconds, evaluationsPerSecond, baselineEvaluationsPerSecond, tenThousandMessagesMs }.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  compileFilterPolicy,
  evaluateFilterPolicy,
  type CompiledPolicy,
  type FilterMessage,
  type FilterPolicyScope,
  type MessageAttribute,
} from "../lib/domain/filter-policy";
import { readConformanceJsonl } from "../lib/domain/filter-policy/conformance";
import { naiveMatches } from "./naive-filter-policy";

const casesFile = path.resolve(process.cwd(), "../shared/conformance/sns-filter-policy/cases.jsonl");
const messagesPerPolicy = 1200;
const typicalPolicyId = "docs-attr-and-both-derived";

interface Workload {
  id: string;
  scope: FilterPolicyScope;
  policy: unknown;
  compiled: CompiledPolicy;
  messages: FilterMessage[];
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function main(): number {
  const read = readConformanceJsonl(readFileSync(casesFile, "utf8"));
  if (!read.ok) {
    console.error(`${casesFile} line ${read.line}: ${read.problem}`);
    return 2;
  }
  const rng = random(20240514);
  const workloads = new Map<string, Workload>();
  for (const c of read.cases) {
    if (c.expect === "invalid") continue;
    const key = `${c.scope} ${JSON.stringify(c.policy)}`;
    let workload = workloads.get(key);
    if (!workload) {
      const compiled = compileFilterPolicy(c.policy, c.scope);
      if (!compiled.ok) throw new Error(`${c.id}: ${compiled.error.reason}`);
      workload = {
        id: c.id,
        scope: c.scope,
        policy: c.policy,
        compiled: compiled.policy,
        messages: generate(c.policy, c.scope, messagesPerPolicy, rng),
      };
      workloads.set(key, workload);
    }
    workload.messages.push(c.message);
  }
  const all = [...workloads.values()];
  const evaluations = all.reduce((sum, w) => sum + w.messages.length, 0);

  // Both sides see every message once before the clock runs.
  for (const w of all) for (const m of w.messages.slice(0, 50)) evaluateFilterPolicy(w.compiled, m);
  for (const w of all) for (const m of w.messages.slice(0, 50)) naiveMatches(w.policy, w.scope, m);

  const engineResults: boolean[] = [];
  let start = process.hrtime.bigint();
  for (const w of all) for (const m of w.messages) engineResults.push(evaluateFilterPolicy(w.compiled, m).match);
  const engineSeconds = seconds(start);

  const baselineResults: boolean[] = [];
  start = process.hrtime.bigint();
  for (const w of all) for (const m of w.messages) baselineResults.push(naiveMatches(w.policy, w.scope, m));
  const baselineSeconds = seconds(start);

  let i = 0;
  const disagreements: string[] = [];
  for (const w of all) {
    for (const m of w.messages) {
      if (engineResults[i] !== baselineResults[i]) {
        disagreements.push(
          `${w.id}: engine ${engineResults[i]}, baseline ${baselineResults[i]} for ${JSON.stringify(m)}`,
        );
      }
      i++;
    }
  }
  if (disagreements.length > 0) {
    console.error(`engine and baseline disagree on ${disagreements.length} of ${evaluations} evaluations:`);
    for (const line of disagreements.slice(0, 20)) console.error(`  ${line}`);
    return 1;
  }

  // One typical policy, compiled once, against 10,000 messages (median of five runs).
  const typical = all.find((w) => w.id === typicalPolicyId) ?? all[0];
  if (!typical) throw new Error("no valid policy in the cases");
  const tenThousand = generate(typical.policy, typical.scope, 10_000, random(7));
  const runs: number[] = [];
  for (let run = 0; run < 5; run++) {
    const compiled = compileFilterPolicy(typical.policy, typical.scope);
    if (!compiled.ok) throw new Error(compiled.error.reason);
    start = process.hrtime.bigint();
    let delivered = 0;
    for (const m of tenThousand) if (evaluateFilterPolicy(compiled.policy, m).match) delivered++;
    runs.push(seconds(start) * 1000);
    if (delivered === 0)
      throw new Error("the typical policy matched nothing: the generated messages are not exercising it");
  }
  runs.sort((a, b) => a - b);

  console.log(
    JSON.stringify({
      evaluations,
      seconds: Number(engineSeconds.toFixed(4)),
      evaluationsPerSecond: Math.round(evaluations / engineSeconds),
      baselineEvaluationsPerSecond: Math.round(evaluations / baselineSeconds),
      tenThousandMessagesMs: Number((runs[2] ?? 0).toFixed(2)),
    }),
  );
  return 0;
}

process.exitCode = main();
