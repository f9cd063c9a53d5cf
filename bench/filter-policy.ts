/**
 * `npm run -s bench:filter-policy`: the filter-policy engine's match-only path, its explaining path and
 * moto's FilterPolicyMatcher (the project venv's moto, through bench/moto-filter-policy.py), in one run,
 * on the same evaluations: the valid policies of the shared conformance cases, each with its cases'
 * messages and generated ones (values the policy names, near misses, other types, arrays, absent keys).
 * Attribute policies and body policies are measured apart; a body's JSON parse counts on every side.
 * Fails (exit 1) if the engine's two paths, or the match-only path and a naive interpreter, ever
 * disagree; moto's disagreements are counted (known ones, endpoint-differences.ts, apart). Prints one
 * JSON object: { evaluations, attributes: { fanoutPerSecond, explainPerSecond, motoPerSecond, ratio },
 * bodies: { … }, typicalAttributePolicyPerSecond, moto: { disagreements, … }, seconds,
 * evaluationsPerSecond, baselineEvaluationsPerSecond, tenThousandMessagesMs }.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { venvBin } from "../infra/local";
import {
  compileFilterPolicy,
  evaluateFilterPolicy,
  explainFilterPolicy,
  type CompiledPolicy,
  type FilterMessage,
  type FilterPolicyScope,
} from "../lib/domain/filter-policy";
import { readConformanceJsonl } from "../lib/domain/filter-policy/conformance";
import { endpointDifferences } from "../lib/domain/filter-policy/endpoint-differences";
import { generate, random } from "../test/filter-policy-messages";
import { naiveMatches } from "./naive-filter-policy";

const casesFile =
  process.env.FANOUT_CONFORMANCE_CASES ??
  path.resolve(process.cwd(), "../shared/conformance/sns-filter-policy/cases.jsonl");
const messagesPerPolicy = 1200;
const typicalPolicyId = "docs-attr-and-both-derived";
/** The engine's sides repeat the evaluations, unmeasured then measured, for a steady figure (measure). */
const warmUpSeconds = 1;
const roundSeconds = 0.25;
const rounds = 4;

interface Workload {
  id: string;
  scope: FilterPolicyScope;
  policy: unknown;
  compiled: CompiledPolicy;
  messages: FilterMessage[];
}

/**
 * Seconds of CPU this process has used: the rates are per CPU second on both sides, so that other work
 * on the machine, which slows the two sides at different moments, does not tilt the ratio.
 */
function cpu(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function seconds(start: number): number {
  return cpu() - start;
}

// Bound once, as a caller evaluating many messages holds it: a call through the import would also time, on every
// evaluation, the getter that tsx's CommonJS output puts in front of each imported binding.
const evaluate = evaluateFilterPolicy;

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
  const attributes = all.filter((w) => w.scope === "MessageAttributes");
  const bodies = all.filter((w) => w.scope === "MessageBody");

  const fast = (c: CompiledPolicy, m: FilterMessage) => evaluate(c, m).match;
  const explain = (c: CompiledPolicy, m: FilterMessage) => explainFilterPolicy(c, m).explanation.matched;
  const naive = (w: Workload, m: FilterMessage) => naiveMatches(w.policy, w.scope, m);
  const sides = {
    attributes: { fast: measure(attributes, fast), explain: measure(attributes, explain) },
    bodies: { fast: measure(bodies, fast), explain: measure(bodies, explain) },
  };
  const fastAnswers = [...sides.attributes.fast.answers, ...sides.bodies.fast.answers];
  const explainAnswers = [...sides.attributes.explain.answers, ...sides.bodies.explain.answers];
  const ordered = [...attributes, ...bodies];
  const start = cpu();
  const naiveAnswers = ordered.flatMap((w) => w.messages.map((m) => naive(w, m)));
  const baselineSeconds = seconds(start);

  const described = ordered.flatMap((w) => w.messages.map((m) => `${w.id}: ${JSON.stringify(m)}`));
  const differ = (name: string, a: ArrayLike<boolean | number>, b: ArrayLike<boolean | number>) => {
    const found = described.filter((_, i) => Boolean(a[i]) !== Boolean(b[i]));
    if (found.length === 0) return false;
    console.error(`${name} disagree on ${found.length} of ${evaluations} evaluations:`);
    for (const line of found.slice(0, 20)) console.error(`  ${line}`);
    return true;
  };
  if (differ("the match-only and the explaining path", fastAnswers, explainAnswers)) return 1;
  if (differ("the engine and the naive interpreter", fastAnswers, naiveAnswers)) return 1;

  const moto = runMoto(ordered);
  if (typeof moto === "string") {
    console.error(moto);
    return 2;
  }
  const disagreements = { disagreements: 0, onKnownDifferences: 0, raised: 0 };
  const unexplained: string[] = [];
  let at = 0;
  for (const w of ordered) {
    const known = endpointDifferences("moto", w.policy, w.scope).length > 0;
    for (const m of w.messages) {
      const answer = moto.answers[at];
      if (answer === "e") disagreements.raised++;
      if (answer !== (fastAnswers[at] ? "1" : "0")) {
        if (known) disagreements.onKnownDifferences++;
        else {
          disagreements.disagreements++;
          unexplained.push(`${w.id}: Fanout ${Boolean(fastAnswers[at])}, moto ${answer} for ${JSON.stringify(m)}`);
        }
      }
      at++;
    }
  }
  if (unexplained.length > 0) {
    console.error(
      `moto disagrees with the engine on ${unexplained.length} evaluations outside its known differences, e.g.:`,
    );
    for (const line of unexplained.slice(0, 10)) console.error(`  ${line}`);
  }

  // One typical attribute policy, compiled once, against 10,000 messages (median of five runs of 50 passes, after a warm-up).
  const typical = all.find((w) => w.id === typicalPolicyId) ?? attributes[0];
  if (!typical) throw new Error("no valid attribute policy in the cases");
  const tenThousand = generate(typical.policy, typical.scope, 10_000, random(7));
  const passes = 50;
  const runs: number[] = [];
  const warm = cpu();
  while (seconds(warm) < warmUpSeconds) for (const m of tenThousand) evaluate(typical.compiled, m);
  for (let run = 0; run < 5; run++) {
    const compiled = compileFilterPolicy(typical.policy, typical.scope);
    if (!compiled.ok) throw new Error(compiled.error.reason);
    const policy = compiled.policy;
    const begin = cpu();
    let delivered = 0;
    for (let pass = 0; pass < passes; pass++)
      for (let i = 0; i < tenThousand.length; i++)
        if (evaluate(policy, tenThousand[i] as FilterMessage).match) delivered++;
    runs.push((seconds(begin) * 1000) / passes);
    if (delivered === 0)
      throw new Error("the typical policy matched nothing: the generated messages are not exercising it");
  }
  runs.sort((a, b) => a - b);
  const tenThousandMs = runs[2] ?? 0;

  const figures = (side: (typeof sides)["attributes"], motoSide: { evaluations: number; seconds: number }) => {
    const motoPerSecond = motoSide.evaluations / motoSide.seconds;
    return {
      evaluations: side.fast.answers.length,
      fanoutPerSecond: Math.round(side.fast.perSecond),
      explainPerSecond: Math.round(side.explain.perSecond),
      motoPerSecond: Math.round(motoPerSecond),
      ratio: Number((side.fast.perSecond / motoPerSecond).toFixed(1)),
      explainRatio: Number((side.explain.perSecond / motoPerSecond).toFixed(1)),
    };
  };
  const engineSeconds =
    sides.attributes.fast.answers.length / sides.attributes.fast.perSecond +
    sides.bodies.fast.answers.length / sides.bodies.fast.perSecond;
  console.log(
    JSON.stringify({
      evaluations,
      attributes: figures(sides.attributes, moto.attributes),
      bodies: figures(sides.bodies, moto.bodies),
      typicalAttributePolicyPerSecond: Math.round(10_000 / (tenThousandMs / 1000)),
      identical: true,
      moto: disagreements,
      seconds: Number(engineSeconds.toFixed(4)),
      evaluationsPerSecond: Math.round(evaluations / engineSeconds),
      baselineEvaluationsPerSecond: Math.round(evaluations / baselineSeconds),
      tenThousandMessagesMs: Number(tenThousandMs.toFixed(2)),
    }),
  );
  return 0;
}

/**
 * Runs every evaluation of the workloads again and again: for warmUpSeconds unmeasured (the JIT's
 * optimising compiler runs beside, and takes its time on a busy machine), then in `rounds` rounds of at
 * least roundSeconds each. Gives the answers of the first run and the best round's rate, as moto's
 * runner gives its best of `rounds` runs.
 */
function measure(
  workloads: Workload[],
  matches: (policy: CompiledPolicy, message: FilterMessage) => boolean,
): { answers: Uint8Array; perSecond: number } {
  const count = workloads.reduce((sum, w) => sum + w.messages.length, 0);
  const answers = new Uint8Array(count);
  const run = () => {
    let k = 0;
    for (const w of workloads) {
      const policy = w.compiled;
      const messages = w.messages;
      for (let i = 0; i < messages.length; i++) answers[k++] = matches(policy, messages[i] as FilterMessage) ? 1 : 0;
    }
  };
  run();
  const first = Uint8Array.from(answers);
  const warmUp = cpu();
  while (seconds(warmUp) < warmUpSeconds) run();
  let best = 0;
  for (let round = 0; round < rounds; round++) {
    let runs = 0;
    const start = cpu();
    while (runs < 1 || seconds(start) < roundSeconds) {
      run();
      runs++;
    }
    best = Math.max(best, (count * runs) / seconds(start));
  }
  if (answers.some((a, i) => a !== first[i]))
    throw new Error("the same evaluation answered differently on another run");
  return { answers: first, perSecond: best };
}

interface MotoRun {
  attributes: { evaluations: number; seconds: number };
  bodies: { evaluations: number; seconds: number };
  answers: string;
}

/** moto's FilterPolicyMatcher over the same evaluations, in the project's venv; or why it could not run. */
function runMoto(workloads: Workload[]): MotoRun | string {
  const python = venvBin("python");
  if (!existsSync(python)) return `${python} is missing: the project's venv (with moto) is needed to compare with moto`;
  const input = workloads
    .map((w) => JSON.stringify({ scope: w.scope, policy: w.policy, messages: w.messages }))
    .join("\n");
  const result = spawnSync(python, [path.join(import.meta.dirname, "moto-filter-policy.py"), String(rounds)], {
    input,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (result.status !== 0) return `moto's runner failed (exit ${result.status ?? result.signal}): ${result.stderr}`;
  return JSON.parse(result.stdout) as MotoRun;
}

process.exitCode = main();
