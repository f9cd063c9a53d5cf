import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { getSessionUser } from "@/lib/auth/session";
import { NO_CONSOLE_ROLE, refusalMessage } from "@/lib/auth/sign-in-refusal";
import { START_PAGE } from "@/lib/domain/callback-url";
import { getConfig } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string; refusal?: string }>;
}) {
  const { callbackUrl, error, refusal } = await searchParams;
  if (await getSessionUser()) redirect(START_PAGE);
  const config = getConfig();
  // Only a refusal the console sealed is shown as it is (lib/auth/sign-in-refusal.ts).
  const refused = error === NO_CONSOLE_ROLE ? refusalMessage(refusal, config) : undefined;
  return (
    <main id="main" className="login-page">
      <div className="login-card">
        <h1>Sign in to Fanout</h1>
        <p className="lede">Operations console for SNS → SQS → Lambda pipelines.</p>
        {error ? (
          <p className="form-error" role="alert">
            {refused ?? "Sign-in failed. Check your credentials, or ask an admin for a console role."}
          </p>
        ) : null}
        <LoginForm callbackUrl={callbackUrl} oidcEnabled={Boolean(config.oidc)} />
      </div>
    </main>
  );
}
