import Link from "next/link";
import { connection } from "next/server";

/**
 * The 404 outside the console (the console's own is app/(console)/not-found.tsx). Rendered per
 * request, not prerendered, so Next's scripts carry the request's CSP nonce.
 */
export default async function NotFound() {
  await connection();
  return (
    <main id="main" className="login-page">
      <div className="login-card">
        <h1>Page not found</h1>
        <p>
          <Link href="/topology">Go to the topology</Link>
        </p>
      </div>
    </main>
  );
}
