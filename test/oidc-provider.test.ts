import { generators, Issuer } from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOidcProvider, type OidcProvider } from "./oidc-provider";

// The test provider, driven by the OIDC client next-auth itself uses, so a fault in it shows up
// here rather than as a puzzling sign-in failure in the e2e spec.
describe("the test OIDC provider", () => {
  const credentials = { clientId: "fanout-test", clientSecret: "fanout-test-secret" };
  const redirectUri = "http://127.0.0.1:9/api/auth/callback/oidc";
  let provider: OidcProvider;

  beforeAll(async () => {
    provider = await startOidcProvider(credentials);
  });
  afterAll(() => provider.stop());

  /** One authorization-code round trip with PKCE, state and nonce, as a client of `authMethod`. */
  async function signInAs(authMethod: "client_secret_basic" | "client_secret_post", tamperVerifier = false) {
    const issuer = await Issuer.discover(`${provider.issuer}/.well-known/openid-configuration`);
    const client = new issuer.Client({
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: authMethod,
    });
    const verifier = generators.codeVerifier();
    const [state, nonce] = [generators.state(), generators.nonce()];
    const authorize = client.authorizationUrl({
      scope: "openid profile",
      state,
      nonce,
      code_challenge: generators.codeChallenge(verifier),
      code_challenge_method: "S256",
    });
    const answer = await fetch(authorize, { redirect: "manual" });
    expect(answer.status).toBe(302);
    const back = answer.headers.get("location")!;
    expect(back.startsWith(redirectUri)).toBe(true);
    const tokens = await client.callback(redirectUri, client.callbackParams(back), {
      state,
      nonce,
      code_verifier: tamperVerifier ? generators.codeVerifier() : verifier,
    });
    return { tokens, userinfo: await client.userinfo(tokens) };
  }

  it("signs in the queued user with an RS256 ID token the client verifies, by either client authentication", async () => {
    provider.nextLogin({ sub: "u-1", preferred_username: "pat", groups: ["payments-ops"] });
    provider.nextLogin({ sub: "u-2", preferred_username: "kim", fanout_role: "viewer" });
    const first = await signInAs("client_secret_basic");
    const second = await signInAs("client_secret_post");
    expect(first.tokens.claims()).toMatchObject({ iss: provider.issuer, aud: "fanout-test", sub: "u-1" });
    expect(first.tokens.claims().groups).toEqual(["payments-ops"]);
    expect(first.userinfo).toMatchObject({ sub: "u-1", preferred_username: "pat" });
    expect(second.tokens.claims()).toMatchObject({ sub: "u-2", fanout_role: "viewer" });
    expect(provider.tokenAuthMethods.slice(-2)).toEqual(["client_secret_basic", "client_secret_post"]);
  });

  it("refuses a code redeemed with another PKCE verifier, and an authorization with no login queued", async () => {
    provider.nextLogin({ sub: "u-3" });
    await expect(signInAs("client_secret_post", true)).rejects.toThrow(/invalid_grant/);
    await expect(signInAs("client_secret_post")).rejects.toThrow(/access_denied/);
  });
});
