"use client";
import { useState } from "react";
import { useAccessExplanation, type AccessExplanationView } from "@/lib/queries/access";
import { DataTable } from "@/components/ui/data-table";
import { ErrorState } from "@/components/ui/error-state";
import { Skeleton } from "@/components/ui/skeleton";
import { useSearchParams } from "next/navigation";
import { useSearchParamsSetter } from "@/components/ui/use-search-params-setter";

/**
 * "What can this user do here, and why?": pick a user and a resource of this environment; the answer
 * lists each of their bindings, matched or not and why, and every action on that resource. The
 * question lives in the page's address, so an answer can be linked.
 */
export function AccessExplainer({ users }: { users: string[] }) {
  const params = useSearchParams();
  const go = useSearchParamsSetter();
  const asked = { user: params.get("user") ?? "", arn: params.get("arn") ?? "" };
  const [user, setUser] = useState(asked.user);
  const [arn, setArn] = useState(asked.arn);
  const answer = useAccessExplanation(asked.user, asked.arn);
  return (
    <div className="stack">
      <form
        className="access-question"
        aria-label="Whose access, on what"
        onSubmit={(e) => {
          e.preventDefault();
          go({ user: user.trim() || undefined, arn: arn.trim() || undefined });
        }}
      >
        <label className="field">
          User
          <input
            name="user"
            list="access-users"
            value={user}
            onChange={(e) => setUser(e.target.value)}
            placeholder="ana, or oidc:ana for single sign-on"
            autoComplete="off"
          />
          <datalist id="access-users">
            {users.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </label>
        <label className="field grow">
          Resource ARN
          <input
            name="arn"
            value={arn}
            onChange={(e) => setArn(e.target.value)}
            placeholder="arn:aws:sqs:eu-west-1:123456789012:payments-dlq"
            spellCheck={false}
            autoComplete="off"
          />
        </label>
        <button type="submit" className="button button-primary" disabled={!user.trim() || !arn.trim()}>
          Explain
        </button>
      </form>
      {asked.user === "" || asked.arn === "" ? (
        <p className="muted">
          Give a user and the ARN of a queue, topic, subscription or function in this environment.
        </p>
      ) : answer.isPending ? (
        <Skeleton rows={3} label="Reading the user's bindings and the resource's tags" />
      ) : answer.isError ? (
        <ErrorState error={answer.error} onRetry={() => void answer.refetch()} />
      ) : (
        <Explanation view={answer.data} />
      )}
    </div>
  );
}

function Explanation({ view }: { view: AccessExplanationView }) {
  const tags = Object.entries(view.resource.tags ?? {});
  return (
    <section className="stack" aria-label="Explanation" data-testid="access-explanation">
      <p className="lede">
        <strong>{view.user}</strong> is{" "}
        <strong data-testid="access-role">{view.role ?? "nothing (no binding reaches it)"}</strong> on this{" "}
        {view.resource.kind} in {view.environment.name} ({view.environment.region})
        {view.environment.readOnly ? ", a read-only environment (every role is at most viewer there)" : ""}. Their
        highest role in the environment is {view.environmentRole ?? "none"}. Bindings from the {view.source}.
      </p>
      <p className="muted mono">
        {view.resource.arn}
        {tags.length > 0 ? ` · tags ${tags.map(([k, v]) => `${k}=${v}`).join(", ")}` : " · no tags"}
      </p>
      <DataTable label="Bindings" columns={["Binding", "From", "Matches", "Why not"]}>
        {view.bindings.map((b, index) => (
          <tr key={index} data-testid="access-binding">
            <td>
              {b.binding}
              {b.list === "cap" ? <div className="muted">a cap: the token never does more than this</div> : null}
            </td>
            <td className="mono">{b.from}</td>
            <td>{b.matches ? "yes" : "no"}</td>
            <td>{b.why ?? "—"}</td>
          </tr>
        ))}
      </DataTable>
      {view.actions.length > 0 ? (
        <DataTable label="Actions" className="access-actions" columns={["Action", "Needs", "Allowed", "Also checked"]}>
          {view.actions.map((a) => (
            <tr key={a.route} data-testid="access-action">
              <td className="mono">{a.route}</td>
              <td>{a.needs}</td>
              <td>{a.allowed ? "yes" : "no"}</td>
              <td>{a.rule ?? "—"}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p className="muted">The console has no actions on a {view.resource.kind} beyond showing it.</p>
      )}
    </section>
  );
}
