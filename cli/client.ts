import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

/** How the command line reaches a console: its URL and an API token, and the environment to act in. */
export interface Connection {
  url: string;
  token: string;
  /** `/api/e/<env>/<region>` when an environment is chosen; the console's default environment without. */
  scope?: { env: string; region: string };
}

/** Where `fanout login` keeps the URL and token: $FANOUT_CLI_CONFIG, else the user's config directory. */
export function configFile(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.FANOUT_CLI_CONFIG) return env.FANOUT_CLI_CONFIG;
  const base = env.XDG_CONFIG_HOME || path.join(homedir(), ".config");
  return path.join(base, "fanout", "cli.json");
}

/** The saved login, if any. */
export function savedLogin(file: string): { url?: string; token?: string } {
  try {
    const saved = JSON.parse(readFileSync(file, "utf8")) as unknown;
    if (saved && typeof saved === "object") {
      const { url, token } = saved as Record<string, unknown>;
      return { ...(typeof url === "string" ? { url } : {}), ...(typeof token === "string" ? { token } : {}) };
    }
  } catch {
    // No saved login: the environment variables or the flags must say.
  }
  return {};
}

/** A refusal or failure of the console, with its HTTP status and the console's own message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Calls the console's API as the token's owner; the console's error body becomes an ApiError. */
export async function api<T>(
  connection: Connection,
  method: string,
  apiPath: string,
  body?: unknown,
  options: { scoped?: boolean } = {},
): Promise<T> {
  const scoped = options.scoped !== false && connection.scope;
  const prefix = scoped ? `/api/e/${encodeURIComponent(scoped.env)}/${encodeURIComponent(scoped.region)}` : "/api";
  const url = new URL(`${prefix}${apiPath}`, connection.url);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${connection.token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new ApiError(0, `cannot reach ${connection.url}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await response.text();
  if (!response.ok) {
    let message = text.slice(0, 500);
    try {
      const parsed = JSON.parse(text) as { error?: { message?: string } };
      message = parsed.error?.message ?? message;
    } catch {
      // Not the console's error body: its text says what it is.
    }
    throw new ApiError(response.status, `${method} ${url.pathname}: ${response.status} ${message}`);
  }
  return (text ? JSON.parse(text) : null) as T;
}
