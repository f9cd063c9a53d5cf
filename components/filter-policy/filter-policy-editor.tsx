"use client";
import { ScopedLink } from "@/components/ui/scoped-link";
import { useMemo, useState } from "react";
import { compileFilterPolicy } from "@/lib/domain/filter-policy";
import { endpointDifferences } from "@/lib/domain/filter-policy/endpoint-differences";
import { formBudget, formToPolicy, policyToForm, type PolicyForm } from "@/lib/domain/filter-policy/form-model";
import { FILTER_POLICY_LIMITS } from "@/lib/domain/filter-policy/limits";
import { readablePolicy } from "@/lib/domain/filter-policy/policy-diff";
import type { FilterPolicyScope } from "@/lib/domain/filter-policy/types";
import { arnName, type Subscription } from "@/lib/domain/subscription";
import { roleAtLeast, type Role } from "@/lib/domain/roles";
import { ApiError } from "@/lib/queries/fetch-json";
import {
  useRollbackFilterPolicy,
  useSaveFilterPolicy,
  useSubscription,
  type PolicyState,
  type PolicyVersion,
} from "@/lib/queries/filter-policies";
import { ErrorState } from "../ui/error-state";
import { useEscapeToClose } from "../ui/use-escape-to-close";
import { Skeleton } from "../ui/skeleton";
import { Tabs } from "../ui/tabs";
import { UnsavedChangesGuard } from "../ui/unsaved-changes-guard";
import { BudgetMeter } from "./budget-meter";
import { EnvironmentCompare } from "./environment-compare";
import { ImpactPanel } from "./impact-panel";
import { JsonEditor } from "./json-editor";
import { PolicyDiff } from "./policy-diff";
import { PolicyFormEditor } from "./policy-form";
import { TestPanel } from "./test-panel";

function readForm(
  text: string,
  scope: FilterPolicyScope,
): { ok: true; form: PolicyForm } | { ok: false; reason: string } {
  try {
    return policyToForm(JSON.parse(text), scope);
  } catch {
    return { ok: false, reason: "the JSON does not parse" };
  }
}

/** Why a viewer sees the policy but cannot change it; shown where the actions would be. */
const EDITOR_VIEWS = [
  { value: "form", label: "Form" },
  { value: "json", label: "JSON" },
] as const;

const readOnlyReason = "Read-only: changing or rolling back a filter policy needs the operator role.";

export function FilterPolicyEditor({ arn, endpointName, role }: { arn: string; endpointName?: string; role: Role }) {
  const query = useSubscription(arn);
  // Held here, not in the editor, so "saved" and "conflict" outlive the editor's remount on the new live state.
  const save = useSaveFilterPolicy(arn);
  const rollback = useRollbackFilterPolicy(arn);
  if (query.isPending) return <Skeleton rows={8} label="Loading the subscription" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  // Remount on a new live state, so the editor starts from what AWS holds now.
  const { subscription, history } = query.data;
  return (
    <>
      <Editor
        key={`${subscription.filterPolicy}|${subscription.filterPolicyScope}`}
        subscription={subscription}
        history={history}
        save={save}
        rollback={rollback}
        endpointName={endpointName}
        canChange={roleAtLeast(role, "operator")}
      />
      <EnvironmentCompare arn={arn} />
    </>
  );
}

interface EditorProps {
  subscription: Subscription;
  history: PolicyVersion[];
  save: ReturnType<typeof useSaveFilterPolicy>;
  rollback: ReturnType<typeof useRollbackFilterPolicy>;
  endpointName?: string;
  /** False for viewers: the form is shown disabled and the actions are left out, with the reason. */
  canChange: boolean;
}

function Editor({ subscription, history, save, rollback, endpointName, canChange }: EditorProps) {
  const startedFrom: PolicyState = { policy: subscription.filterPolicy, scope: subscription.filterPolicyScope };
  const [scope, setScope] = useState<FilterPolicyScope>(subscription.filterPolicyScope);
  const [text, setText] = useState(readablePolicy(subscription.filterPolicy) || "{\n}");
  const [tab, setTab] = useState<"form" | "json">("form");
  const [confirming, setConfirming] = useState<"save" | "remove" | null>(null);

  const compiled = useMemo(() => compileFilterPolicy(text, scope), [text, scope]);
  const parsed = useMemo(() => {
    try {
      return { value: JSON.parse(text) as unknown };
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    }
  }, [text]);
  // The form keeps its own state while it is edited (a new row has no values yet, so the JSON
  // cannot hold it); it is read again from the JSON whenever the JSON or the scope changes.
  const [formState, setFormState] = useState(() => readForm(text, scope));
  const budget = compiled.ok
    ? compiled.policy.budget
    : formState.ok
      ? { ...formBudget(formState.form), ...FILTER_POLICY_LIMITS }
      : undefined;
  const differences = useMemo(
    () => ("value" in parsed ? endpointDifferences(endpointName, parsed.value, scope) : []),
    [parsed, scope, endpointName],
  );
  const breaksDeliveries = differences.some((d) => d.breaksDeliveries);
  const topicName = arnName(subscription.topicArn);
  const [typedConfirmation, setTypedConfirmation] = useState("");
  const changed =
    readablePolicy(text) !== readablePolicy(subscription.filterPolicy) ||
    (subscription.filterPolicy !== null && scope !== subscription.filterPolicyScope);
  const conflict = save.error instanceof ApiError && save.error.code === "conflict";

  const onFormChange = (form: PolicyForm) => {
    setFormState({ ok: true, form });
    setText(JSON.stringify(formToPolicy(form), null, 2));
  };
  const onTab = (next: "form" | "json") => {
    if (next === "form") setFormState(readForm(text, scope));
    setTab(next);
  };
  const onScope = (next: FilterPolicyScope) => {
    setScope(next);
    setFormState(readForm(text, next));
  };
  // Escape cancels the review and returns focus to the button that opened it.
  const cancelConfirming = useEscapeToClose(confirming, () => setConfirming(null));
  const submit = () => {
    setConfirming(null);
    if (confirming === "remove") save.mutate({ policy: null, scope, expected: startedFrom, removePolicy: true });
    else if ("value" in parsed) save.mutate({ policy: parsed.value, scope, expected: startedFrom });
  };

  return (
    <div className="editor-layout">
      <UnsavedChangesGuard unsaved={canChange && changed} what="The filter policy" />
      <section className="panel editor-main" aria-labelledby="policy-heading">
        <header className="panel-header">
          <h2 id="policy-heading">Filter policy</h2>
          <Tabs label="Editor view" tabs={EDITOR_VIEWS} selected={tab} onSelect={onTab} />
        </header>
        <dl className="facts">
          <dt>Topic</dt>
          <dd>
            <ScopedLink href={`/topics/${encodeURIComponent(subscription.topicArn)}`}>
              {arnName(subscription.topicArn)}
            </ScopedLink>
          </dd>
          <dt>Endpoint</dt>
          <dd className="mono">{subscription.endpoint}</dd>
          <dt>Raw delivery</dt>
          <dd>{subscription.rawMessageDelivery ? "yes" : "no (SNS envelope)"}</dd>
        </dl>
        <div className="field-row">
          <label htmlFor="scope">Scope</label>
          <select
            id="scope"
            value={scope}
            disabled={!canChange}
            onChange={(e) => onScope(e.target.value as FilterPolicyScope)}
          >
            <option value="MessageAttributes">MessageAttributes: test the message attributes</option>
            <option value="MessageBody">MessageBody: test the JSON body</option>
          </select>
        </div>
        {budget ? (
          <BudgetMeter
            keys={budget.keys}
            maxKeys={budget.maxKeys}
            combinations={budget.combinations}
            maxCombinations={budget.maxCombinations}
          />
        ) : null}

        {tab === "form" ? (
          formState.ok ? (
            <fieldset
              className="plain-fieldset"
              disabled={!canChange}
              aria-describedby={canChange ? undefined : "read-only-reason"}
            >
              <legend className="visually-hidden">Policy rules</legend>
              <PolicyFormEditor form={formState.form} scope={scope} onChange={onFormChange} notes={differences} />
            </fieldset>
          ) : (
            <p className="state">The form cannot show this policy: {formState.reason}. Edit it in the JSON tab.</p>
          )
        ) : (
          <JsonEditor
            value={text}
            onChange={setText}
            label="Policy JSON"
            readOnly={!canChange}
            diagnose={(current) => {
              const result = compileFilterPolicy(current, scope);
              return result.ok ? undefined : { message: result.error.reason, position: result.error.position };
            }}
          />
        )}
        <div id="policy-problem" aria-live="polite">
          {!compiled.ok ? (
            <p className="form-error">
              {compiled.error.reason}
              {compiled.error.path && compiled.error.path !== "$" ? (
                <span className="mono"> at {compiled.error.path}</span>
              ) : null}
              {compiled.error.position ? (
                <span>
                  {" "}
                  (line {compiled.error.position.line}, column {compiled.error.position.column})
                </span>
              ) : null}
            </p>
          ) : (
            <p className="form-ok">Valid for AWS.</p>
          )}
        </div>

        {differences.length > 0 ? (
          <div className="state state-warn" role="note">
            <p className="state-title">This endpoint ({endpointName}) differs from AWS here</p>
            <ul>
              {differences.map((d) => (
                <li key={d.path}>
                  <code>{d.path}</code>: {d.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}

        {canChange ? null : (
          <p className="state state-info" id="read-only-reason">
            {readOnlyReason}
          </p>
        )}
        <div className="row-actions" hidden={!canChange}>
          <button
            type="button"
            className="button button-primary"
            disabled={!compiled.ok || !changed || save.isPending}
            onClick={() => setConfirming("save")}
          >
            Review and save…
          </button>
          {subscription.filterPolicy !== null ? (
            <button type="button" className="button" disabled={save.isPending} onClick={() => setConfirming("remove")}>
              Remove the policy…
            </button>
          ) : null}
        </div>
        {confirming && canChange ? (
          <div className="confirm" role="dialog" aria-modal="false" aria-labelledby="confirm-heading">
            <h3 id="confirm-heading">{confirming === "save" ? "Save this change?" : "Remove the filter policy?"}</h3>
            {confirming === "remove" ? (
              <p>Without a policy the subscription receives every message published to the topic.</p>
            ) : null}
            <PolicyDiff
              before={readablePolicy(subscription.filterPolicy)}
              after={confirming === "remove" ? "" : readablePolicy(text)}
            />
            {scope !== subscription.filterPolicyScope && confirming === "save" ? (
              <p>
                Scope: {subscription.filterPolicyScope} → {scope}
              </p>
            ) : null}
            {confirming === "save" && breaksDeliveries ? (
              <label className="field">
                This policy would stop {endpointName} delivering anything published to {topicName}. Type the topic name
                to save it anyway.
                <input
                  value={typedConfirmation}
                  onChange={(e) => setTypedConfirmation(e.target.value)}
                  aria-label="Topic name to confirm"
                />
              </label>
            ) : null}
            <div className="row-actions">
              <button
                type="button"
                className="button button-primary"
                onClick={submit}
                disabled={confirming === "save" && breaksDeliveries && typedConfirmation !== topicName}
              >
                {confirming === "save" ? "Save to AWS" : "Remove it"}
              </button>
              <button type="button" className="button" onClick={cancelConfirming}>
                Cancel
              </button>
            </div>
          </div>
        ) : null}
        <ImpactPanel arn={subscription.arn} policyText={text} scope={scope} policyValid={compiled.ok} />
        {save.isSuccess ? (
          <p className="state state-info" role="status">
            Saved{save.data.changed ? "" : " (it was already in place)"}. SNS applies filter-policy changes eventually:
            for up to about 15 minutes some messages may still be filtered by the previous policy.
          </p>
        ) : null}
        {save.isError && conflict ? (
          <div className="state state-error" role="alert">
            <p className="state-title">Someone else changed this policy</p>
            <p>{save.error.message}</p>
            <p>Reload to start from the live policy; your edit stays in this box until then.</p>
          </div>
        ) : save.isError ? (
          <ErrorState error={save.error} />
        ) : null}
      </section>

      <aside className="editor-side">
        <TestPanel policyText={text} scope={scope} policyValid={compiled.ok} subscriptionArn={subscription.arn} />
        <History
          history={history}
          startedFrom={startedFrom}
          onRollback={(versionId) => rollback.mutate({ versionId, expected: startedFrom })}
          pending={rollback.isPending}
          canChange={canChange}
        />
        <p>
          <ScopedLink href={`/audit?target=${encodeURIComponent(subscription.arn)}`}>
            Audit log of this subscription
          </ScopedLink>
        </p>
        {rollback.isError ? <ErrorState error={rollback.error} /> : null}
      </aside>
    </div>
  );
}

function History({
  history,
  startedFrom,
  onRollback,
  pending,
  canChange,
}: {
  history: PolicyVersion[];
  startedFrom: PolicyState;
  onRollback: (id: number) => void;
  pending: boolean;
  canChange: boolean;
}) {
  const [asking, setAsking] = useState<number>();
  const stopAsking = useEscapeToClose(asking !== undefined && String(asking), () => setAsking(undefined));
  return (
    <section className="panel" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      {canChange || history.length === 0 ? null : <p className="muted">{readOnlyReason}</p>}
      {history.length === 0 ? (
        <p className="muted">
          No change has been made through Fanout yet. The first save keeps the policy as found, to roll back to.
        </p>
      ) : (
        <ol className="history">
          {history.map((v, i) => {
            const isLive = i === 0 && readablePolicy(v.policy) === readablePolicy(startedFrom.policy);
            return (
              <li key={v.id}>
                <div>
                  <strong>#{v.id}</strong> {new Date(v.at).toLocaleString()} · {v.actor}{" "}
                  {isLive ? <span className="badge">live</span> : null}
                </div>
                <div className="muted">{v.note ?? (v.policy === null ? "no policy" : `${v.scope}`)}</div>
                <pre className="code small" tabIndex={0} aria-label={`Policy of version ${v.id}`}>
                  {v.policy === null ? "(none: every message)" : readablePolicy(v.policy)}
                </pre>
                {!isLive && canChange ? (
                  asking === v.id ? (
                    <span className="row-actions">
                      <button
                        type="button"
                        className="button button-primary"
                        disabled={pending}
                        onClick={() => onRollback(v.id)}
                      >
                        Roll back to #{v.id}
                      </button>
                      <button type="button" className="button" onClick={stopAsking}>
                        Cancel
                      </button>
                    </span>
                  ) : (
                    <button type="button" className="button" onClick={() => setAsking(v.id)}>
                      Roll back…
                    </button>
                  )
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
