import { z } from "zod";
import { silenceRequestSchema } from "../domain/alerts/silences";

/**
 * POST /api/alerts/silences: what to silence (a rule, an ARN pattern or both), for how many minutes
 * and why (lib/domain/alerts/silences.ts), with an idempotency key: the same key from the same
 * user returns the silence it already made, so a retried request makes one silence, not two.
 */
export const createSilenceSchema = silenceRequestSchema.safeExtend({
  clientKey: z
    .string({ error: "must be a string" })
    .regex(/^[A-Za-z0-9_-]{8,100}$/, "must be 8 to 100 letters, digits, dashes or underscores")
    .optional(),
});

export type CreateSilenceRequest = z.output<typeof createSilenceSchema>;

/** DELETE /api/alerts/silences/{id}: the ids silences are made with (lib/operations/alerts.ts). */
export const silenceParams = z.object({
  id: z.string().regex(/^[a-z0-9-]{8,64}$/, "not a silence id"),
});
