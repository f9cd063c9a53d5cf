import { z } from "zod";
import { DEFAULT_TRACE_WINDOW, TRACE_WINDOW_NAMES } from "../domain/traces/windows";
import { queueNameSchema } from "./dead-letters";

/** Query parameters of the trace routes. */

const windowSchema = z
  .enum(TRACE_WINDOW_NAMES, { message: `one of ${TRACE_WINDOW_NAMES.join(", ")}` })
  .default(DEFAULT_TRACE_WINDOW);
const endSchema = z.iso
  .datetime({ message: "an ISO 8601 time, e.g. 2026-11-28T12:00:00Z" })
  .transform((t) => Date.parse(t))
  .optional();

export const traceWindowQuerySchema = z.object({ window: windowSchema, end: endSchema });

export const traceListQuerySchema = traceWindowQuerySchema.extend({
  service: z.string().trim().min(1).max(256).optional(),
  status: z
    .enum(["ok", "error", "throttle", "fault", "failed"], { message: "one of ok, error, throttle, fault, failed" })
    .optional(),
  minDurationMs: z.coerce.number({ message: "a number of milliseconds" }).min(0).max(86_400_000).optional(),
  // X-Ray annotation keys: letters, digits and underscore ("AWS X-Ray segment documents" → Annotations).
  annotation: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,500}=.{0,1000}$/, "key=value, the key of letters, digits and _")
    .transform((a) => ({ key: a.slice(0, a.indexOf("=")), value: a.slice(a.indexOf("=") + 1) }))
    .optional(),
});

export const messageStoryQuerySchema = z.object({
  // "AWS X-Ray concepts" → "Tracing header"; a header is short, anything long is not one.
  header: z.string().max(1024, "at most 1024 characters").optional(),
  dlq: queueNameSchema.optional(),
  message: z.string().min(1).max(100).optional(),
});
