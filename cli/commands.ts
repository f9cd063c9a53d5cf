import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { canonicalJson, lineDiff } from "../lib/domain/text-diff";
import type { RedriveJobView } from "../lib/operations/redrive";
import { api, type Connection } from "./client";
import { table, type Output } from "./output";

/**
 * The commands of `fanout`, each a call or two of the console's API. Each returns its exit code:
 * 0 done, 1 done but the answer is "no" (a job that did not complete, a policy that differs or
 * does not match); a refused request or a usage error is thrown and exits 3 or 2 (cli/main.ts).
 */

export type Exit = 0 | 1;

export class UsageError extends Error {}

interface Environment {
  id: string;
  name: string;
  regions: string[];
  kind: string;
  readOnly: boolean;
  role: string;
  /** The role holds on some resources only (role bindings). */
  scoped?: boolean;
}

export async function envList(c: Connection, out: Output): Promise<Exit> {
  const { environments } = await api<{ environments: Environment[] }>(c, "GET", "/environments", undefined, {
    scoped: false,
  });
  out.result(environments, () =>
    table(
      ["ID", "NAME", "REGIONS", "KIND", "YOUR ROLE"],
      environments.map((e) => [
        e.id,
        e.name,
        e.regions.join(","),
        e.kind + (e.readOnly ? " (read-only)" : ""),
        e.role + (e.scoped ? " (scoped)" : ""),
      ]),
    ),
  );
  return 0;
}

interface DeadLetterQueueRow {
  name: string;
  visible: number;
  inFlight: number;
  sources: { name: string }[];
  oldestAgeSeconds?: number;
}

export async function dlqList(c: Connection, out: Output): Promise<Exit> {
  const overview = await api<{ deadLetterQueues: DeadLetterQueueRow[]; metricsUnavailable?: string }>(
    c,
    "GET",
    "/dlqs",
  );
  out.result(overview, () => {
    const rows = overview.deadLetterQueues.map((q) => [
      q.name,
      String(q.visible),
      String(q.inFlight),
      q.oldestAgeSeconds === undefined ? "-" : `${Math.round(q.oldestAgeSeconds / 60)} min`,
      q.sources.map((s) => s.name).join(",") || "-",
    ]);
    const note = overview.metricsUnavailable ? `\nCloudWatch did not answer: ${overview.metricsUnavailable}` : "";
    return table(["DLQ", "VISIBLE", "IN FLIGHT", "OLDEST", "SOURCES"], rows) + note;
  });
  return 0;
}

interface LeaseView {
  queue: { name: string; visible: number; inFlight: number };
  messages: { messageId: string; system?: { sentAt?: string; receiveCount?: number }; body?: string }[];
  notes: string[];
}

/** Reads (leases) up to `max` letters and gives them back at once: a look, as the console's page takes one. */
export async function dlqShow(c: Connection, out: Output, queue: string, max: number): Promise<Exit> {
  const path = `/queues/${encodeURIComponent(queue)}`;
  const view = await api<LeaseView>(c, "GET", `${path}/messages?max=${max}`);
  await api(c, "POST", `${path}/lease/release`);
  out.result(view, () => {
    const rows = view.messages.map((m) => [
      m.messageId,
      m.system?.sentAt ?? "-",
      String(m.system?.receiveCount ?? "-"),
      (m.body ?? "").replace(/\s+/g, " ").slice(0, 60),
    ]);
    return [
      `${view.queue.name}: ${view.queue.visible} visible, ${view.queue.inFlight} in flight`,
      table(["MESSAGE ID", "SENT", "RECEIVES", "BODY"], rows),
      ...view.notes,
    ].join("\n");
  });
  return 0;
}

export interface ReplayOptions {
  all: boolean;
  filterFile?: string;
  filterScope: "MessageBody" | "MessageAttributes";
  rate?: number;
  target?: string;
  wait: boolean;
}

export async function replay(c: Connection, out: Output, queue: string, o: ReplayOptions): Promise<Exit> {
  if (!o.all) throw new UsageError("replay needs --all (replaying chosen letters is done on the console's page)");
  const request = {
    all: true,
    ...(o.filterFile ? { filter: { policy: readFileSync(o.filterFile, "utf8"), scope: o.filterScope } } : {}),
    ...(o.rate !== undefined ? { ratePerSecond: o.rate } : {}),
    ...(o.target ? { target: o.target } : {}),
    // The same key again returns the same job: a retried command never starts a second replay.
    clientKey: randomUUID(),
  };
  const started = await api<RedriveJobView & { jobId: string }>(
    c,
    "POST",
    `/queues/${encodeURIComponent(queue)}/replay`,
    request,
  );
  if (!o.wait) {
    out.result(started, () => `Started job ${started.jobId} (${started.engine}) on ${queue}.`);
    return 0;
  }
  out.progress(`Started job ${started.jobId} (${started.engine}) on ${queue}.`);
  return watchJob(c, out, started.jobId);
}

const FINISHED = new Set(["completed", "incomplete", "cancelled", "failed"]);

/** Follows a redrive job until it ends, with its progress on standard error; 0 only when it completed with nothing failed. */
export async function watchJob(c: Connection, out: Output, id: string, pollMs = 1000): Promise<Exit> {
  // A job is found in any environment: its route is not scoped.
  const read = () =>
    api<RedriveJobView>(c, "GET", `/redrive-jobs/${encodeURIComponent(id)}`, undefined, { scoped: false });
  let job = await read();
  while (!FINISHED.has(job.status)) {
    out.bar(job.moved + job.failed, job.remaining === null ? undefined : job.moved + job.failed + job.remaining, {
      status: job.status,
      moved: job.moved,
      failed: job.failed,
    });
    await new Promise((r) => setTimeout(r, pollMs));
    job = await read();
  }
  out.endBar();
  out.result(job, () =>
    [
      `Job ${job.id} ${job.status}: ${job.moved} moved, ${job.failed} failed, ${job.skipped} left in the DLQ (not selected).`,
      ...(job.error ? [`Error: ${job.error}`] : []),
      ...(job.note ? [job.note] : []),
    ].join("\n"),
  );
  return job.status === "completed" && job.failed === 0 ? 0 : 1;
}

interface Subscription {
  arn: string;
  filterPolicy: string | null;
  filterPolicyScope: "MessageBody" | "MessageAttributes";
}

const subscriptionPath = (arn: string) => `/subscriptions/${encodeURIComponent(arn)}`;

async function subscriptionOf(c: Connection, arn: string): Promise<Subscription> {
  return (await api<{ subscription: Subscription }>(c, "GET", subscriptionPath(arn))).subscription;
}

/** A policy file's JSON; a usage error naming the file when it is not JSON. */
function policyFile(file: string): unknown {
  const text = readFileSync(file, "utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`${file} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The policy text SNS holds, as canonical JSON ("" for none), so that formatting is no difference. */
const canonicalPolicy = (policy: string | null) => (policy === null ? "" : canonicalJson(JSON.parse(policy)));

export async function policyGet(c: Connection, out: Output, arn: string): Promise<Exit> {
  const s = await subscriptionOf(c, arn);
  out.result({ policy: s.filterPolicy === null ? null : JSON.parse(s.filterPolicy), scope: s.filterPolicyScope }, () =>
    s.filterPolicy === null
      ? `${arn} has no filter policy: it receives every message.`
      : `${canonicalPolicy(s.filterPolicy)}\n(scope: ${s.filterPolicyScope})`,
  );
  return 0;
}

/** The subscription's policy against a file's, as `diff -u` marks lines; exit 1 when they differ. */
export async function policyDiff(c: Connection, out: Output, arn: string, file: string): Promise<Exit> {
  const s = await subscriptionOf(c, arn);
  const current = canonicalPolicy(s.filterPolicy);
  const wanted = canonicalJson(policyFile(file));
  const same = current === wanted;
  const lines = lineDiff(current, wanted);
  out.result({ same, diff: lines }, () =>
    same ? "No difference." : [`--- ${arn}`, `+++ ${file}`, ...lines.map((l) => `${l.op}${l.text}`)].join("\n"),
  );
  return same ? 0 : 1;
}

/**
 * Sets the subscription's policy from a file. `expectFile` is the policy the caller believes is in
 * place (reviewed as code); the console refuses the change (409) when SNS holds another. Without
 * it, the policy read just before stands in, which protects only against a change in between.
 */
export async function policySet(
  c: Connection,
  out: Output,
  arn: string,
  file: string,
  expectFile: string | undefined,
): Promise<Exit> {
  const s = await subscriptionOf(c, arn);
  const expected = {
    policy: expectFile ? JSON.stringify(policyFile(expectFile)) : s.filterPolicy,
    scope: s.filterPolicyScope,
  };
  const saved = await api<unknown>(c, "PUT", `${subscriptionPath(arn)}/filter-policy`, {
    policy: policyFile(file),
    scope: s.filterPolicyScope,
    expected,
  });
  out.result(saved, () => `Saved the filter policy of ${arn}.`);
  return 0;
}

/**
 * Tests a message against the subscription's policy, or against a candidate policy file (the check
 * before a change): exit 0 when it matches, 1 when it does not. The message file is `{ "body": … }`
 * or `{ "attributes": { name: { Type, Value } } }`, or any other text, taken as the body.
 */
export async function policyTest(
  c: Connection,
  out: Output,
  arn: string,
  messageFile: string,
  policyPath: string | undefined,
): Promise<Exit> {
  const s = await subscriptionOf(c, arn);
  const policy = policyPath ? policyFile(policyPath) : s.filterPolicy === null ? null : JSON.parse(s.filterPolicy);
  if (policy === null) {
    out.result(
      { match: true, explanation: "no filter policy" },
      () => "Matches: the subscription has no filter policy.",
    );
    return 0;
  }
  const text = readFileSync(messageFile, "utf8");
  let message: unknown = { body: text };
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === "object" && ("body" in parsed || "attributes" in parsed)) message = parsed;
  } catch {
    // Not JSON: the whole file is the body.
  }
  const { results } = await api<{ results: { match: boolean; explanation: unknown }[] }>(
    c,
    "POST",
    "/filter-policy/test",
    { policy, scope: s.filterPolicyScope, messages: [message] },
  );
  const [result] = results;
  out.result(
    result,
    () => (result!.match ? "Matches." : "Does not match.") + `\n${JSON.stringify(result!.explanation, null, 2)}`,
  );
  return result!.match ? 0 : 1;
}

interface SlaFigures {
  sli: number | null;
  target: number;
  status: string;
  errorBudgetRemaining: number | null;
}

const percent = (v: number | null) => (v === null ? "no data" : `${(v * 100).toFixed(3)} %`);

export async function sla(c: Connection, out: Output, window: string): Promise<Exit> {
  const view = await api<{
    services: (SlaFigures & { kind: string; resource: string })[];
    endToEnd: SlaFigures;
    notes: string[];
  }>(c, "GET", `/sla?window=${encodeURIComponent(window)}`);
  out.result(view, () => {
    const row = (kind: string, resource: string, f: SlaFigures) => [
      kind,
      resource,
      percent(f.sli),
      percent(f.target),
      percent(f.errorBudgetRemaining),
      f.status,
    ];
    return [
      table(
        ["KIND", "RESOURCE", "SLI", "TARGET", "BUDGET LEFT", "STATUS"],
        [...view.services.map((s) => row(s.kind, s.resource, s)), row("end to end", "-", view.endToEnd)],
      ),
      ...view.notes,
    ].join("\n");
  });
  return 0;
}
