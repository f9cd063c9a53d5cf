import { ZodError, type ZodType } from "zod";
import { AppError, type FieldIssue } from "../domain/app-error";

/** Error body every route returns: `{ "error": { "code", "message", "issues"? } }`. */
export function errorResponse(err: unknown): Response {
  const appError = asAppError(err);
  if (appError.status >= 500) {
    // Stack to the server log only; the browser gets the code and a message.
    console.error(
      `[api] ${appError.code}: ${appError.message}`,
      appError.cause instanceof Error ? appError.cause.stack : (appError.cause ?? ""),
    );
  }
  const body = {
    error: {
      code: appError.code,
      message: appError.message,
      ...(appError.issues ? { issues: appError.issues } : {}),
      ...(appError.details ? { details: appError.details } : {}),
    },
  };
  return Response.json(body, { status: appError.status });
}

function zodIssues(error: ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

export function asAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) {
    const issues = zodIssues(err);
    return new AppError(
      "validation",
      `Invalid input: ${issues.map((i) => `${i.path || "(body)"}: ${i.message}`).join("; ")}`,
      { issues },
    );
  }
  return new AppError("internal", "Something went wrong on the server; the details are in its log.", { cause: err });
}

/** The largest JSON body a route reads unless it says otherwise: a filter policy or a test message with room to spare. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024 + 64 * 1024;

/**
 * An edited replay carries a message of up to 1 MiB (SQS's largest `MaximumMessageSize`, body and
 * attributes together), which JSON escaping can make up to six times longer (`\u0001` for one byte).
 */
export const MAX_REPLAY_BODY_BYTES = 6 * 1024 * 1024 + 64 * 1024;

/**
 * A request body as text, refused with 413 when it is larger than `maxBytes`: by its declared
 * Content-Length before anything is read, and while reading, for a body without one (chunked).
 */
export async function readBodyText(req: Request, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new AppError("payload_too_large", `The request body is larger than the ${maxBytes} bytes this endpoint accepts.`, {
      details: { maxBytes },
    });
  const declared = req.headers.get("content-length");
  if (declared !== null && !(Number(declared) <= maxBytes)) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses a JSON request body against a schema: 413 past the size cap, 400 if it is not JSON, 422 naming each bad field. */
export async function parseJsonBody<T>(req: Request, schema: ZodType<T>, maxBytes = MAX_JSON_BODY_BYTES): Promise<T> {
  const text = await readBodyText(req, maxBytes);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON.");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw asAppError(parsed.error);
  return parsed.data;
}
