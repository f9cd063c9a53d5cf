import Link from "next/link";

export default function NotFound() {
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
