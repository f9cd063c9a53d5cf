import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Writable } from "node:stream";
import { localConsoleEnv, startConsole, type RunningConsole } from "../scripts/lib/console";
import { findFreePort } from "../scripts/lib/processes";

/** Console replicas of one team: each its own process and data dir, all on one PostgreSQL with one secret. */

const SECRET = "replicas-shared-session-secret-0123456789abcdef";
export const REPLICA_USER = { username: "otto", password: "replica-operator-password", role: "operator" };

export interface ReplicaOptions {
  awsEndpoint: string;
  postgresUrl: string;
  /** FANOUT_REPLICA_NAME: replicas of one name stand for one machine. */
  replicaName: string;
  logTo?: Writable;
  /** More of the console's variables (alert destinations, evaluation interval). */
  env?: Record<string, string>;
}

export async function startReplica(o: ReplicaOptions): Promise<RunningConsole> {
  const port = await findFreePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `fanout-${o.replicaName}-`));
  return startConsole({
    host: "127.0.0.1",
    port,
    logTo: o.logTo,
    env: {
      ...localConsoleEnv({ port, awsEndpoint: o.awsEndpoint, lambdaEndpoint: o.awsEndpoint, dataDir }),
      FANOUT_DATABASE_URL: o.postgresUrl,
      NEXTAUTH_SECRET: SECRET,
      FANOUT_USERS: JSON.stringify([REPLICA_USER]),
      FANOUT_REPLICA_NAME: o.replicaName,
      ...o.env,
    },
  });
}

export interface Client {
  get(path: string): Promise<unknown>;
  post(path: string, body?: unknown): Promise<unknown>;
  delete(path: string): Promise<unknown>;
}

const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");

/**
 * One sign-in through next-auth's credentials flow, as the login form makes it: the session cookie,
 * or the error the console answered (`CredentialsSignin`, `TooManyAttempts`).
 */
export async function attemptSignIn(
  base: string,
  username: string,
  password: string,
): Promise<{ session: string } | { error: string }> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf) },
    body: new URLSearchParams({ csrfToken, username, password, json: "true" }),
  });
  const answer = await res.text();
  const session = cookiesOf(res);
  if (session.includes("session-token")) return { session };
  const url = res.headers.get("location") ?? (JSON.parse(answer || "{}") as { url?: string }).url ?? "";
  return { error: new URL(url, base).searchParams.get("error") ?? `HTTP ${res.status}` };
}

/** A client signed in as REPLICA_USER: its requests carry the session and the origin. */
export async function signedIn(base: string): Promise<Client> {
  const attempt = await attemptSignIn(base, REPLICA_USER.username, REPLICA_USER.password);
  if (!("session" in attempt)) throw new Error(`signing in on ${base} failed: ${attempt.error}`);
  const call = async (method: string, urlPath: string, body?: unknown) => {
    const answer = await fetch(`${base}${urlPath}`, {
      method,
      headers: { cookie: attempt.session, origin: base, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await answer.text();
    if (!answer.ok) throw new Error(`${method} ${urlPath} on ${base}: HTTP ${answer.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as unknown;
  };
  return {
    get: (p) => call("GET", p),
    post: (p, body) => call("POST", p, body),
    delete: (p) => call("DELETE", p),
  };
}
