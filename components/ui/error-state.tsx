import type { ErrorCode } from "@/lib/domain/app-error";

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
  not_found: { title: "Not found", advice: "It may have been deleted. Go back to the list and refresh." },
};

const fallback = {
  title: "Something went wrong",
  advice: "The server's log has the details. Retry, and report it if it persists.",
};

export interface ErrorStateProps {
  code?: ErrorCode | string;
  message?: string;
  onRetry?: () => void;
}

/** An error explained to an operator: what happened and what to do, never a stack trace. */
export function ErrorState({ code, message, onRetry }: ErrorStateProps) {
  const text = (code && guidance[code as ErrorCode]) || fallback;
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{text.title}</p>
      <p>{text.advice}</p>
      {message ? <p className="state-detail">{message}</p> : null}
      <div className="state-actions">
        {code === "unauthenticated" ? (
          <a className="button" href="/login">
            Sign in
          </a>
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
