"use client";

/** Shown only if the root layout itself fails: plain markup, no stack, a way back. */
export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", padding: "2rem" }}>
        <main>
          <h1>Fanout failed to load</h1>
          <p>The server&apos;s log has the details. Retry, and report it if it persists.</p>
          <button type="button" onClick={reset}>
            Retry
          </button>
        </main>
      </body>
    </html>
  );
}
