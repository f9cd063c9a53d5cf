"use client";
import { useState } from "react";
import type { EnvironmentListing } from "@/lib/domain/environments";
import { plural } from "@/lib/domain/format";
import { roleAtLeast } from "@/lib/domain/roles";
import { parseScopeKey, scopedPagePath, scopeKey, type Scope } from "@/lib/domain/scope";
import { useCopyLetters, useEnvironments, useQueuesIn } from "@/lib/queries/dead-letter-messages";
import { usePageScope } from "@/lib/queries/scope";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { showToast } from "../ui/toaster";

/** An environment's name as the dialog says it, production marked. */
const named = (e: Pick<EnvironmentListing, "name" | "kind">, region: string) =>
  `${e.name}${e.kind === "production" ? " (production)" : ""} · ${region}`;

/**
 * "Copy to another environment…": chooses an environment and region where the user is an operator
 * (read-only ones refuse every change), one of its queues, copy or move, and confirms naming both
 * environments. The server checks all of it again.
 */
export function CopyLettersDialog({
  queue,
  ids,
  onClose,
  onCopied,
}: {
  queue: string;
  /** The letters to copy; undefined while the dialog is closed. */
  ids: string[] | undefined;
  onClose: () => void;
  /** The letters that left the DLQ (a move), for the list to forget. */
  onCopied: (moved: string[]) => void;
}) {
  const open = ids !== undefined;
  const environments = useEnvironments(open);
  const listed = environments.data?.environments ?? [];
  // An unscoped page acts in the default environment: the first listed, in its first region.
  const pageScope = usePageScope();
  const here = pageScope ?? (listed[0] ? { environment: listed[0].id, region: listed[0].regions[0] ?? "" } : undefined);
  const source = listed.find((e) => e.id === here?.environment);
  const targets = listed.flatMap((e) =>
    !e.readOnly && roleAtLeast(e.role, "operator")
      ? e.regions
          .filter((region) => !(here && e.id === here.environment && region === here.region))
          .map((region) => ({ environment: e, scope: { environment: e.id, region } as Scope }))
      : [],
  );
  const [chosenKey, setChosenKey] = useState("");
  const [chosenQueue, setChosenQueue] = useState("");
  const [move, setMove] = useState(false);
  const chosenScope = parseScopeKey(chosenKey);
  const target = targets.find((t) => chosenScope && scopeKey(t.scope) === scopeKey(chosenScope));
  const queues = useQueuesIn(target?.scope);
  const copy = useCopyLetters(queue);
  const count = ids?.length ?? 0;

  const close = () => {
    setChosenKey("");
    setChosenQueue("");
    setMove(false);
    copy.reset();
    onClose();
  };

  const confirm = () => {
    if (!ids || !target || !chosenQueue) return;
    copy.mutate(
      { target: { ...target.scope, queue: chosenQueue }, messageIds: ids, move },
      {
        onSuccess: (r) => {
          const done = move ? `${r.moved} moved` : `${r.copied} copied`;
          const left = [
            r.copied && move ? `${r.copied} copied but not deleted` : "",
            r.failed ? `${r.failed} failed` : "",
            r.notLeased ? `${r.notLeased} no longer leased` : "",
          ].filter(Boolean);
          showToast(
            `${done} to ${r.target.queue} in ${r.target.environmentName}${left.length ? `; ${left.join(", ")}` : ""}.`,
            {
              href: scopedPagePath(target.scope, `/dead-letters/${encodeURIComponent(r.target.queue)}`),
              label: `Open ${r.target.queue}`,
            },
          );
          onCopied(r.letters.filter((l) => l.outcome === "moved").map((l) => l.messageId));
          close();
        },
      },
    );
  };

  return (
    <ConfirmDialog
      open={open}
      title={`${move ? "Move" : "Copy"} ${plural(count, "letter")} to another environment`}
      confirmLabel={move ? "Move" : "Copy"}
      danger={move}
      busy={copy.isPending}
      disabled={!target || !chosenQueue}
      onCancel={close}
      onConfirm={confirm}
    >
      {environments.isPending ? (
        <p className="muted">Reading the environments…</p>
      ) : environments.isError ? (
        <p role="alert">The environments could not be read: {environments.error.message}</p>
      ) : targets.length === 0 ? (
        <p>There is no other environment where you are an operator and that takes changes.</p>
      ) : (
        <>
          <label className="field">
            Environment and region
            <select
              value={chosenKey}
              onChange={(e) => {
                setChosenKey(e.target.value);
                setChosenQueue("");
              }}
            >
              <option value="">Choose…</option>
              {targets.map((t) => (
                <option key={scopeKey(t.scope)} value={scopeKey(t.scope)}>
                  {named(t.environment, t.scope.region)}
                </option>
              ))}
            </select>
          </label>
          {target ? (
            queues.isPending ? (
              <p className="muted">Reading the queues of {target.environment.name}…</p>
            ) : queues.isError ? (
              <p role="alert">The queues could not be read: {queues.error.message}</p>
            ) : queues.data.length === 0 ? (
              <p>
                {target.environment.name} has no queue in {target.scope.region}.
              </p>
            ) : (
              <label className="field">
                Queue
                <select value={chosenQueue} onChange={(e) => setChosenQueue(e.target.value)}>
                  <option value="">Choose…</option>
                  {queues.data.map((name) => (
                    <option key={name} value={name}>
                      {name}
                    </option>
                  ))}
                </select>
              </label>
            )
          ) : null}
          <label className="field-row">
            <input type="checkbox" checked={move} onChange={(e) => setMove(e.target.checked)} /> Move instead of copy
            (delete each original once its copy is sent)
          </label>
          {target && chosenQueue && source && here ? (
            <p>
              From <strong>{named(source, here.region)}</strong>, {queue}, to{" "}
              <strong>{named(target.environment, target.scope.region)}</strong>, {chosenQueue}. Masked fields are copied
              masked; the originals {move ? "are deleted once their copies are sent" : "stay where they are"}.
            </p>
          ) : null}
          {copy.isError ? <p role="alert">Not copied: {copy.error.message}</p> : null}
        </>
      )}
    </ConfirmDialog>
  );
}
