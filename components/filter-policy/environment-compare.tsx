"use client";
import Link from "next/link";
import { useState } from "react";
import type { ActiveEnvironment, EnvironmentListing } from "@/lib/domain/environments";
import {
  readablePolicy,
  type PolicyChange,
  type PolicyDiff as StructuralDiff,
} from "@/lib/domain/filter-policy/policy-diff";
import { roleAtLeast } from "@/lib/domain/roles";
import { parseScopeKey, scopedPagePath, scopeKey, type Scope } from "@/lib/domain/scope";
import { ApiError } from "@/lib/queries/fetch-json";
import { useEnvironments } from "@/lib/queries/environments";
import {
  useCompareFilterPolicy,
  useCopyFilterPolicy,
  type PolicyComparison,
  type PolicyState,
} from "@/lib/queries/filter-policies";
import { usePageScope } from "@/lib/queries/scope";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { Skeleton } from "../ui/skeleton";
import { PolicyDiff } from "./policy-diff";

/**
 * "Compare with another environment": this subscription's policy beside its counterpart's (the same
 * topic name to the same endpoint name) in another environment and region, what differs key by key,
 * and, for who may change the target, copying the policy either way. Policies are shown as text only.
 */

const where = (e: Pick<ActiveEnvironment, "name" | "region">) => `${e.name} (${e.region})`;
const scopeOfEnvironment = (e: ActiveEnvironment): Scope => ({ environment: e.id, region: e.region });
const filterPolicyPage = (scope: Scope, arn: string) =>
  scopedPagePath(scope, `/filter-policies/${encodeURIComponent(arn)}`);

function optionLabel(environment: EnvironmentListing, region: string) {
  const marks = [environment.kind === "production" ? "production" : "", environment.readOnly ? "read-only" : ""];
  const note = marks.filter(Boolean).join(", ");
  return `${environment.name} · ${region}${note ? ` (${note})` : ""}`;
}

export function EnvironmentCompare({ arn }: { arn: string }) {
  const environments = useEnvironments();
  const pageScope = usePageScope();
  const [chosen, setChosen] = useState<Scope>();
  const comparison = useCompareFilterPolicy(arn, chosen);

  const list = environments.data ?? [];
  // An unscoped page acts in the default environment: the first, in its first region.
  const first = list[0];
  const here = pageScope ?? (first ? { environment: first.id, region: first.regions[0] ?? "" } : undefined);
  const others = list.flatMap((environment) =>
    environment.regions
      .filter((region) => !(here && environment.id === here.environment && region === here.region))
      .map((region) => ({ environment, region })),
  );

  return (
    <section className="panel" aria-labelledby="compare-heading">
      <h2 id="compare-heading">Compare with another environment</h2>
      {environments.isPending ? (
        <Skeleton rows={1} label="Loading the environments" />
      ) : environments.isError ? (
        <ErrorState error={environments.error} onRetry={() => void environments.refetch()} />
      ) : others.length === 0 ? (
        <EmptyState title="No other environment">
          <p>The console knows one environment and region; there is nothing to compare with.</p>
        </EmptyState>
      ) : (
        <div className="field-row">
          <label htmlFor="compare-scope">Environment</label>
          <select
            id="compare-scope"
            value={chosen ? scopeKey(chosen) : ""}
            onChange={(e) => setChosen(parseScopeKey(e.target.value))}
          >
            <option value="">Choose an environment…</option>
            {others.map(({ environment, region }) => (
              <option key={`${environment.id}/${region}`} value={`${environment.id}/${region}`}>
                {optionLabel(environment, region)}
              </option>
            ))}
          </select>
        </div>
      )}
      {chosen === undefined ? null : comparison.isPending ? (
        <Skeleton rows={3} label="Comparing the policies" />
      ) : comparison.isError ? (
        <ErrorState error={comparison.error} onRetry={() => void comparison.refetch()} />
      ) : (
        <ComparisonView comparison={comparison.data} />
      )}
    </section>
  );
}

function ComparisonView({ comparison }: { comparison: PolicyComparison }) {
  const { here, there, diff } = comparison;
  // Held here: a copy refreshes the comparison, after which the actions may be gone but its outcome stays.
  const copy = useCopyFilterPolicy();
  const [done, setDone] = useState<Direction>();
  const thereScope = scopeOfEnvironment(there.environment);
  if (there.match === "none") {
    return (
      <EmptyState title="No counterpart">
        <p>{there.message}</p>
      </EmptyState>
    );
  }
  if (there.match === "several" || !there.counterpart || !diff) {
    return (
      <EmptyState title="More than one counterpart">
        <p>{there.message}</p>
        <ul>
          {(there.candidates ?? []).map((candidate) => (
            <li key={candidate}>
              <Link className="mono" href={filterPolicyPage(thereScope, candidate)}>
                {candidate}
              </Link>
            </li>
          ))}
        </ul>
      </EmptyState>
    );
  }
  const counterpart = there.counterpart;
  return (
    <div className="compare-result" data-testid="policy-comparison">
      <p>
        Counterpart in {where(there.environment)}:{" "}
        <Link className="mono" href={filterPolicyPage(thereScope, counterpart.arn)}>
          {counterpart.arn}
        </Link>
      </p>
      <DiffSummary diff={diff} here={here.environment} there={there.environment} />
      <details>
        <summary>Both policies</summary>
        <div className="compare-sides">
          <PolicyText label={`Here, ${where(here.environment)}`} state={here} />
          <PolicyText label={where(there.environment)} state={counterpart} />
        </div>
      </details>
      {diff.same ? null : <CopyActions comparison={comparison} copy={copy} onCopied={setDone} />}
      <CopyOutcome comparison={comparison} copy={copy} done={done} />
    </div>
  );
}

function PolicyText({ label, state }: { label: string; state: PolicyState }) {
  return (
    <figure className="compare-side">
      <figcaption>
        {label}
        {state.policy === null ? "" : ` · ${state.scope}`}
      </figcaption>
      <pre className="code small" tabIndex={0} aria-label={`Policy: ${label}`}>
        {state.policy === null ? "(no policy: every message)" : readablePolicy(state.policy)}
      </pre>
    </figure>
  );
}

const json = (value: unknown) => JSON.stringify(value);

function changeText(change: PolicyChange) {
  if (change.kind === "added") return json(change.after);
  if (change.kind === "removed") return json(change.before);
  return `${json(change.before)} → ${json(change.after)}`;
}

function DiffSummary({
  diff,
  here,
  there,
}: {
  diff: StructuralDiff;
  here: ActiveEnvironment;
  there: ActiveEnvironment;
}) {
  if (diff.same) return <p className="state state-info">The same policy in both environments.</p>;
  const label: Record<PolicyChange["kind"], string> = {
    added: `only in ${there.name}`,
    removed: `only here (${here.name})`,
    changed: "different",
  };
  return (
    <div>
      {diff.presence ? (
        <p>
          {diff.presence.before ? `${there.name} has no policy` : "This subscription has no policy"}: it receives every
          message published to its topic.
        </p>
      ) : null}
      {diff.scope ? (
        <p>
          Scope: {diff.scope.before} here, {diff.scope.after} in {there.name}.
        </p>
      ) : null}
      {diff.changes.length > 0 ? (
        <ul className="compare-changes" aria-label="Differences by key">
          {diff.changes.map((change) => (
            <li key={`${change.kind}|${change.path}`} className={`compare-${change.kind}`}>
              <span className="badge">{label[change.kind]}</span> <code>{change.path || "(whole policy)"}</code>:{" "}
              <span className="mono">{changeText(change)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

type Direction = "to" | "from";

type CopyMutation = ReturnType<typeof useCopyFilterPolicy>;

function CopyActions({
  comparison,
  copy,
  onCopied,
}: {
  comparison: PolicyComparison;
  copy: CopyMutation;
  onCopied: (direction: Direction | undefined) => void;
}) {
  const { here, there } = comparison;
  const counterpart = there.counterpart!;
  const [asking, setAsking] = useState<Direction>();
  const mayChange = (e: ActiveEnvironment, role: PolicyComparison["here"]["role"]) =>
    !e.readOnly && roleAtLeast(role, "operator");
  const canCopyTo = here.policy !== null && mayChange(there.environment, there.role);
  const canCopyFrom = counterpart.policy !== null && mayChange(here.environment, here.role);
  const hereSide = { ...scopeOfEnvironment(here.environment), subscriptionArn: here.arn };
  const thereSide = { ...scopeOfEnvironment(there.environment), subscriptionArn: counterpart.arn };

  // Copying to there: there is the target; from there: here is. The guard is the target's policy as shown.
  const plan =
    asking === "to"
      ? {
          target: thereSide,
          from: hereSide,
          targetEnv: there.environment,
          fromEnv: here.environment,
          before: counterpart,
          after: here,
        }
      : {
          target: hereSide,
          from: thereSide,
          targetEnv: here.environment,
          fromEnv: there.environment,
          before: here,
          after: counterpart,
        };

  if (!canCopyTo && !canCopyFrom) {
    return (
      <p className="muted">
        Copying a policy needs the operator role in the environment it goes to, and a policy to copy.
      </p>
    );
  }
  return (
    <div className="row-actions">
      {canCopyTo ? (
        <button type="button" className="button" disabled={copy.isPending} onClick={() => setAsking("to")}>
          Copy this policy to {there.environment.name}…
        </button>
      ) : null}
      {canCopyFrom ? (
        <button type="button" className="button" disabled={copy.isPending} onClick={() => setAsking("from")}>
          Copy from {there.environment.name}…
        </button>
      ) : null}
      <ConfirmDialog
        open={asking !== undefined}
        title={`Replace the filter policy in ${where(plan.targetEnv)}?`}
        confirmLabel={`Copy to ${plan.targetEnv.name}`}
        danger={plan.targetEnv.kind === "production"}
        busy={copy.isPending}
        onCancel={() => setAsking(undefined)}
        onConfirm={() => {
          const direction = asking;
          setAsking(undefined);
          onCopied(undefined);
          copy.mutate(
            {
              target: plan.target,
              from: plan.from,
              expected: { policy: plan.before.policy, scope: plan.before.scope },
            },
            { onSuccess: () => onCopied(direction) },
          );
        }}
      >
        {plan.targetEnv.kind === "production" ? (
          <p>
            <span className="production-flag">Production</span> This changes what a production subscription receives.
          </p>
        ) : null}
        <p>
          The policy of <span className="mono">{plan.target.subscriptionArn}</span> in {where(plan.targetEnv)} becomes
          the one from {where(plan.fromEnv)}, scope {plan.after.scope}. SNS applies it within about 15 minutes.
        </p>
        <PolicyDiff before={readablePolicy(plan.before.policy)} after={readablePolicy(plan.after.policy)} />
      </ConfirmDialog>
    </div>
  );
}

function CopyOutcome({
  comparison,
  copy,
  done,
}: {
  comparison: PolicyComparison;
  copy: CopyMutation;
  done: Direction | undefined;
}) {
  const target = done === "to" ? comparison.there.environment : comparison.here.environment;
  if (done && copy.isSuccess) {
    return (
      <p className="state state-info" role="status">
        Copied to {where(target)}
        {copy.data.changed ? "" : " (it was already in place)"}. SNS applies filter-policy changes within about 15
        minutes.
      </p>
    );
  }
  if (copy.isError && copy.error instanceof ApiError && copy.error.code === "conflict") {
    return (
      <div className="state state-error" role="alert">
        <p className="state-title">The target&apos;s policy changed since it was compared</p>
        <p>{copy.error.message} The comparison above now shows the live policies.</p>
      </div>
    );
  }
  return copy.isError ? <ErrorState error={copy.error} /> : null;
}
