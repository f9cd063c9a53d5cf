import { isErrorCode, type ErrorCode } from "../domain/app-error";

/** A failed API call as the browser sees it: the server's error code and message. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The init of a request with a JSON body (none when `body` is undefined). */
export function jsonRequest(method: "POST" | "PUT" | "PATCH" | "DELETE", body?: unknown): RequestInit {
  return {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

/** fetch + JSON, turning the standard error body (or a dead network) into an ApiError. */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers: { accept: "application/json", ...init?.headers } });
  } catch {
    throw new ApiError("upstream_unavailable", "The console server did not answer.", 0);
  }
  const body = (await res.json().catch(() => undefined)) as
    { error?: { code?: unknown; message?: unknown } } | undefined;
  if (!res.ok) {
    const code = isErrorCode(body?.error?.code)
      ? body.error.code
      : res.status >= 500
        ? "upstream_unavailable"
        : "internal";
    const message =
      typeof body?.error?.message === "string" ? body.error.message : `Request failed with HTTP ${res.status}.`;
    throw new ApiError(code, message, res.status);
  }
  return body as T;
}
