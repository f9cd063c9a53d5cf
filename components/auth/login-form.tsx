"use client";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { safeCallbackPath } from "@/lib/domain/callback-url";
import { FormError } from "../ui/inline-form";

/** Only paths of this console are followed after sign-in, never another site from the query string. */
const safeCallback = (url: string | undefined) => safeCallbackPath(url, window.location.origin);

export function LoginForm({ callbackUrl, oidcEnabled }: { callbackUrl?: string; oidcEnabled: boolean }) {
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    const result = await signIn("credentials", {
      username: String(form.get("username") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    setPending(false);
    if (result?.ok && !result.error) {
      window.location.assign(safeCallback(callbackUrl));
    } else if (result?.error === "TooManyAttempts") {
      setError("Too many failed sign-ins for this user or from this address. Wait a few minutes and try again.");
    } else {
      setError("Wrong username or password.");
    }
  }

  return (
    <form className="login-form" onSubmit={onSubmit} noValidate>
      <label htmlFor="username">Username</label>
      <input id="username" name="username" autoComplete="username" required autoFocus />
      <label htmlFor="password">Password</label>
      <input id="password" name="password" type="password" autoComplete="current-password" required />
      <FormError error={error} />
      <button type="submit" className="button button-primary" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
      {oidcEnabled ? (
        <button
          type="button"
          className="button"
          onClick={() => signIn("oidc", { callbackUrl: safeCallback(callbackUrl) })}
        >
          Sign in with single sign-on
        </button>
      ) : null}
    </form>
  );
}
