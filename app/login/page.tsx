import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { getSessionUser } from "@/lib/auth/session";
import { START_PAGE } from "@/lib/domain/callback-url";
import { getConfig } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  const { callbackUrl, error } = await searchParams;
  if (await getSessionUser()) redirect(START_PAGE);
  return (
    <main id="main" className="login-page">
      <div className="login-card">
        <h1>Sign in to Fanout</h1>
        <p className="lede">Operations console for SNS → SQS → Lambda pipelines.</p>
        {error ? (
          <p className="form-error" role="alert">
            Sign-in failed. Check your credentials, or ask an admin for a console role.
          </p>
        ) : null}
        <LoginForm callbackUrl={callbackUrl} oidcEnabled={Boolean(getConfig().oidc)} />
      </div>
    </main>
  );
}
