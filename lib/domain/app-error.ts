/**
 * The console's error vocabulary, shared by route handlers, the AWS layer and the browser. Each
 * code has exactly one HTTP status, so a client can act on either.
 */
export const errorStatus = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  access_denied: 403,
  not_found: 404,
  conflict: 409,
  /** The action has a side effect the user must confirm first (e.g. reading a source queue). */
  confirmation_required: 428,
  /** The request body is larger than the console accepts (checked before it is parsed). */
  payload_too_large: 413,
  validation: 422,
  throttled: 429,
  internal: 500,
  not_supported_by_endpoint: 501,
  upstream_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `users.0.role`. */
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly issues?: FieldIssue[];
  /** Facts the client needs to act on the error, e.g. the live state behind a 409. */
  readonly details?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { issues?: FieldIssue[]; details?: Record<string, unknown>; cause?: unknown },
  ) {
    super(message, { cause: options?.cause });
    this.name = "AppError";
    this.code = code;
    this.status = errorStatus[code];
    this.issues = options?.issues;
    this.details = options?.details;
  }
}

/** A 422 about one field, when the message says no more than the issue: "path: message". */
export function validationError(path: string, message: string, details?: Record<string, unknown>): AppError {
  return new AppError("validation", `${path}: ${message}`, {
    issues: [{ path, message }],
    ...(details ? { details } : {}),
  });
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(errorStatus, value);
}
