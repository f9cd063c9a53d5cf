"use client";
import { ErrorState } from "@/components/ui/error-state";

/** Last line of defence for a console page: the operator sees what to do, never a stack. */
export default function ConsoleError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="page">
      <h1>This page failed to load</h1>
      <ErrorState onRetry={reset} />
    </div>
  );
}
