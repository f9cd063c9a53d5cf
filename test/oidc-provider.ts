import { createHash, generateKeyPairSync, randomBytes, sign, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A minimal OpenID Connect provider for tests, on 127.0.0.1 and a free port: discovery, JWKS (one
 * RSA key made at start), the authorization-code flow with PKCE (S256), the token endpoint
 * (client_secret_basic or client_secret_post) returning RS256 ID tokens, and userinfo. Nobody types
 * a password: the test names the next user with `nextLogin`, and the authorization endpoint sends
 * the browser straight back to the client with a code for that user.
 * OpenID Connect Core 1.0 §3.1 (authorization code flow), Discovery 1.0 §3, RFC 7636 (PKCE).
 */

/** Who signs in next: `sub` and any other claims, which go into the ID token and userinfo as they are. */
export interface OidcLogin {
  sub: string;
  preferred_username?: string;
  fanout_role?: string;
  groups?: string[];
  [claim: string]: unknown;
}

export interface OidcProvider {
  issuer: string;
  /** Queues the user the next authorization request signs in. */
  nextLogin(login: OidcLogin): void;
  /** How clients authenticated at the token endpoint, in order (`client_secret_basic` or `client_secret_post`). */
  tokenAuthMethods: string[];
  stop(): Promise<void>;
}

interface PendingCode {
  login: OidcLogin;
  redirectUri: string;
  nonce?: string;
  codeChallenge?: string;
  expiresAt: number;
}

const CODE_LIFETIME_MS = 60_000;
const TOKEN_LIFETIME_S = 600;

const base64url = (value: Buffer | string) => Buffer.from(value).toString("base64url");
const newSecret = () => randomBytes(24).toString("base64url");

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(body));
}

/** An OAuth error answer (RFC 6749 §5.2). */
const oauthError = (res: ServerResponse, status: number, error: string, description: string) =>
  send(res, status, { error, error_description: description });

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

const sameText = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

export async function startOidcProvider(client: { clientId: string; clientSecret: string }): Promise<OidcProvider> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = newSecret();
  const jwk = { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };
  const logins: OidcLogin[] = [];
  const codes = new Map<string, PendingCode>();
  const accessTokens = new Map<string, OidcLogin>();
  const tokenAuthMethods: string[] = [];
  let issuer = "";

  function idToken(login: OidcLogin, nonce: string | undefined): string {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid }));
    const payload = base64url(
      JSON.stringify({
        ...login,
        iss: issuer,
        aud: client.clientId,
        iat: now,
        exp: now + TOKEN_LIFETIME_S,
        auth_time: now,
        ...(nonce ? { nonce } : {}),
      }),
    );
    // RS256: RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3).
    const signature = sign("sha256", Buffer.from(`${header}.${payload}`), privateKey);
    return `${header}.${payload}.${base64url(signature)}`;
  }

  /** The client's credentials from a Basic header (RFC 6749 §2.3.1, form-encoded parts) or the form. */
  function clientOf(req: IncomingMessage, form: URLSearchParams): { id: string; secret: string; method: string } {
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "");
    if (basic) {
      const [id = "", secret = ""] = Buffer.from(basic[1]!, "base64").toString("utf8").split(":", 2);
      const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, " "));
      return { id: decode(id), secret: decode(secret), method: "client_secret_basic" };
    }
    return {
      id: form.get("client_id") ?? "",
      secret: form.get("client_secret") ?? "",
      method: "client_secret_post",
    };
  }

  function authorize(url: URL, res: ServerResponse) {
    const q = url.searchParams;
    const redirectUri = q.get("redirect_uri");
    if (q.get("client_id") !== client.clientId || !redirectUri)
      return oauthError(res, 400, "invalid_request", "unknown client_id or no redirect_uri");
    const back = new URL(redirectUri);
    const state = q.get("state");
    if (state) back.searchParams.set("state", state);
    const fail = (error: string, description: string) => {
      back.searchParams.set("error", error);
      back.searchParams.set("error_description", description);
      res.writeHead(302, { location: back.href }).end();
    };
    if (q.get("response_type") !== "code") return fail("unsupported_response_type", "only code");
    if (!(q.get("scope") ?? "").split(" ").includes("openid")) return fail("invalid_scope", "openid is required");
    const challenge = q.get("code_challenge") ?? undefined;
    if (challenge && q.get("code_challenge_method") !== "S256") return fail("invalid_request", "only S256 PKCE");
    const login = logins.shift();
    if (!login) return fail("access_denied", "the test queued no login");
    const code = newSecret();
    codes.set(code, {
      login,
      redirectUri,
      nonce: q.get("nonce") ?? undefined,
      codeChallenge: challenge,
      expiresAt: Date.now() + CODE_LIFETIME_MS,
    });
    back.searchParams.set("code", code);
    res.writeHead(302, { location: back.href }).end();
  }

  async function token(req: IncomingMessage, res: ServerResponse) {
    const form = await formBody(req);
    const caller = clientOf(req, form);
    if (caller.id !== client.clientId || !sameText(caller.secret, client.clientSecret))
      return oauthError(res, 401, "invalid_client", "client authentication failed");
    if (form.get("grant_type") !== "authorization_code")
      return oauthError(res, 400, "unsupported_grant_type", "only authorization_code");
    const code = form.get("code") ?? "";
    const pending = codes.get(code);
    // A code is good once (RFC 6749 §4.1.2).
    codes.delete(code);
    if (!pending || pending.expiresAt < Date.now()) return oauthError(res, 400, "invalid_grant", "unknown code");
    if (form.get("redirect_uri") !== pending.redirectUri)
      return oauthError(res, 400, "invalid_grant", "redirect_uri differs from the authorization request's");
    if (pending.codeChallenge) {
      const verifier = form.get("code_verifier") ?? "";
      if (base64url(createHash("sha256").update(verifier).digest()) !== pending.codeChallenge)
        return oauthError(res, 400, "invalid_grant", "code_verifier does not match the code_challenge");
    }
    tokenAuthMethods.push(caller.method);
    const accessToken = newSecret();
    accessTokens.set(accessToken, pending.login);
    send(res, 200, {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: TOKEN_LIFETIME_S,
      scope: "openid profile email",
      id_token: idToken(pending.login, pending.nonce),
    });
  }

  function userinfo(req: IncomingMessage, res: ServerResponse) {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "");
    const login = bearer ? accessTokens.get(bearer[1]!) : undefined;
    if (!login)
      return send(res, 401, { error: "invalid_token" }, { "www-authenticate": 'Bearer error="invalid_token"' });
    send(res, 200, login);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    const route = `${req.method} ${url.pathname}`;
    if (route === "GET /.well-known/openid-configuration")
      return send(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/userinfo`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
        code_challenge_methods_supported: ["S256"],
        scopes_supported: ["openid", "profile", "email"],
      });
    if (route === "GET /jwks") return send(res, 200, { keys: [jwk] });
    if (route === "GET /authorize") return authorize(url, res);
    if (route === "POST /token")
      return void token(req, res).catch((err: unknown) => oauthError(res, 500, "server_error", String(err)));
    if (route === "GET /userinfo" || route === "POST /userinfo") return userinfo(req, res);
    send(res, 404, { error: "not_found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    nextLogin: (login) => void logins.push(login),
    tokenAuthMethods,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
