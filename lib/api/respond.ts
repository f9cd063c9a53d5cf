import { ZodError, type ZodType } from "zod";
import { AppError, type FieldIssue } from "../domain/app-error";

/** Error body every route returns: `{ "error": { "code", "message", "issues"? } }`. */
export function errorResponse(err: unknown): Response {
  const appError = asAppError(err);
  if (appError.status >= 500) {
    // Stack to the server log only; the browser gets the code and a message.
    console.error(`[api] ${appError.code}: ${appError.message}`, appError.cause instanceof Error ? appError.cause.stack : (appError.cause ?? ""));
  }
  const body = {
    error: { code: appError.code, message: appError.message, ...(appError.issues ? { issues: appError.issues } : {}), ...(appError.details ? { details: appError.details } : {}) },
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
    return new AppError("validation", `Invalid input: ${issues.map((i) => `${i.path || "(body)"}: ${i.message}`).join("; ")}`, { issues });
  }
  return new AppError("internal", "Something went wrong on the server; the details are in its log.", { cause: err });
}

/** Parses a JSON request body against a schema: 400 if it is not JSON, 422 naming each bad field. */
export async function parseJsonBody<T>(req: Request, schema: ZodType<T>): Promise<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(await req.text());
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON.");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw asAppError(parsed.error);
  return parsed.data;
}
