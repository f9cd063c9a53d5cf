import Link from "next/link";
import type { ErrorCode, FieldIssue } from "@/lib/domain/app-error";
import { ApiError } from "@/lib/queries/fetch-json";

const guidance: Partial<Record<ErrorCode, { title: string; advice: string }>> = {
  upstream_unavailable: {
    title: "AWS unreachable",
    advice:
      "The console could not reach the AWS endpoint. Check that it is running (npm run demo starts a local one) and that this server can reach it, then retry.",
  },
  access_denied: {
    title: "Access denied by AWS",
    advice:
      "The console's AWS credentials lack a permission this view needs. Grant the IAM actions listed in the README to the role or user the console runs as.",
  },
  not_supported_by_endpoint: {
    title: "Not supported by this endpoint",
    advice:
      "The AWS endpoint (an emulator, for example) does not implement this operation. Against AWS itself it works.",
  },
  throttled: { title: "AWS is throttling requests", advice: "Wait a few seconds and retry." },
  unauthenticated: { title: "Signed out", advice: "Your session has ended. Sign in again to continue." },
  forbidden: { title: "Not allowed for your role", advice: "Ask an admin for a role that allows this." },
  not_found: { title: "Not found", advice: "It may have been deleted or renamed. Go back to the list and refresh." },
  bad_request: { title: "The request was not accepted", advice: "Correct what is named below and try again." },
  validation: { title: "Some values were not accepted", advice: "Correct what is named below and try again." },
  conflict: { title: "It changed meanwhile", advice: "Reload to see its current state, then try again." },
  payload_too_large: {
    title: "Too large",
    advice: "The console does not accept a request this big. Send less at once.",
  },
  confirmation_required: { title: "Needs your confirmation", advice: "Confirm the side effect named below first." },
};

/** For these the server's message says what was wrong, so it is the point of the message, not a detail. */
const saysWhatWasWrong = new Set<string>([
  "bad_request",
  "validation",
  "not_found",
  "conflict",
  "payload_too_large",
  "confirmation_required",
  "forbidden",
]);

const fallback = {
  title: "Something went wrong",
  advice: "The server's log has the details. Retry, and report it if it persists.",
};

export interface ErrorStateProps {
  /** A failed call's error: an ApiError gives the code, message and field issues. */
  error?: unknown;
  code?: ErrorCode | string;
  message?: string;
  issues?: FieldIssue[];
  onRetry?: () => void;
}

/** An error explained to an operator: what happened, what was wrong with the input, what to do; never a stack trace. */
export function ErrorState({ error, onRetry, ...given }: ErrorStateProps) {
  const api = error instanceof ApiError ? error : undefined;
  const code = given.code ?? api?.code;
  const message = given.message ?? (error instanceof Error ? error.message : undefined);
  const issues = given.issues ?? api?.issues ?? [];
  const text = (code && guidance[code as ErrorCode]) || fallback;
  const explained = code !== undefined && saysWhatWasWrong.has(code);
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{text.title}</p>
      {explained && message ? <p className="state-message">{message}</p> : null}
      {issues.length ? (
        <ul className="state-issues">
          {issues.map((i) => (
            <li key={`${i.path}:${i.message}`}>
              {i.path ? <code>{i.path}</code> : "The request"}: {i.message}
            </li>
          ))}
        </ul>
      ) : null}
      <p>{text.advice}</p>
      {!explained && message ? <p className="state-detail">{message}</p> : null}
      <div className="state-actions">
        {code === "unauthenticated" ? (
          <Link className="button" href="/login">
            Sign in
          </Link>
        ) : null}
        {onRetry ? (
          <button type="button" className="button" onClick={onRetry}>
            Retry
          </button>
        ) : null}
      </div>
    </div>
  );
}
