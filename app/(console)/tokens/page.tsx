import type { Metadata } from "next";
import { ScopedLink } from "@/components/ui/scoped-link";
import { ApiTokens } from "@/components/tokens/api-tokens";
import { pageUser } from "@/lib/auth/page-user";
import { highestBoundRole } from "@/lib/domain/bindings";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

// Tokens belong to no environment: the role that makes service tokens is the one in the default
// environment, as for their API; a token may carry up to the user's highest role anywhere, within their bindings.
export default async function TokensPage() {
  const { user, role } = await pageUser(undefined, "/tokens");
  const highest = highestBoundRole(user.access.bindings) ?? role;
  return (
    <div className="page">
      <h1>API tokens</h1>
      <p className="lede">
        For scripts, CI jobs and the command line: a token acts as you, with at most your role, until it expires or is
        revoked. Requests send it as <code>Authorization: Bearer &lt;token&gt;</code>; each is audited as you, with the
        token&apos;s id. The <ScopedLink href="/api-reference">API reference</ScopedLink> lists every operation and the
        role it needs.
      </p>
      <ApiTokens user={user.name} highestRole={highest} admin={role === "admin"} />
    </div>
  );
}
