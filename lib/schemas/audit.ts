import { z } from "zod";
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, isAuditAction } from "../domain/audit";
import { isAccountId, isEnvironmentId, isRegionName } from "../domain/environments";

/** Query parameters of GET /api/audit. */

// `action=a&action=b` and `action=a,b` both mean either action; every name must be one the console writes.
const actionsSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((raw, ctx) => {
    const names = ([] as string[])
      .concat(raw)
      .flatMap((v) => v.split(","))
      .map((v) => v.trim())
      .filter(Boolean);
    const known = names.filter(isAuditAction);
    if (known.length === names.length) return known;
    const unknown = names.filter((n) => !isAuditAction(n)).map((n) => JSON.stringify(n));
    ctx.addIssue({
      code: "custom",
      message: `unknown action ${unknown.join(", ")}; known: ${AUDIT_ACTIONS.join(", ")}`,
    });
    return z.NEVER;
  })
  .optional();

const timeSchema = z.iso
  .datetime({ offset: true, message: "an ISO 8601 time, e.g. 2026-11-28T12:00:00Z" })
  .transform((t) => new Date(t).toISOString())
  .optional();

export const auditQuerySchema = z
  .object({
    action: actionsSchema,
    actor: z.string().max(128).optional(),
    target: z.string().max(2048).optional(),
    outcome: z.enum(AUDIT_OUTCOMES, { message: AUDIT_OUTCOMES.join(", ") }).optional(),
    from: timeSchema,
    to: timeSchema,
    // Where it was done, each exactly; an environment no longer configured still finds its entries.
    environment: z.string().refine(isEnvironmentId, "an environment id, e.g. staging").optional(),
    region: z.string().refine(isRegionName, "a region code, e.g. eu-west-1").optional(),
    account: z.string().refine(isAccountId, "an account id: 12 digits").optional(),
    limit: z.coerce.number().int().min(1).max(10_000).optional(),
    format: z.enum(["json", "jsonl"], { message: "json or jsonl" }).optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    path: ["from"],
    message: "must not be later than to",
  });
