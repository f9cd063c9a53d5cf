import { z } from "zod";
import { TOKEN_EXPIRY_DAYS } from "../domain/api-tokens";
import { roles } from "../domain/roles";
import { bindingSchema } from "../domain/bindings";

/**
 * POST /api/tokens: a name to know it by, its lifetime in days, and optionally its own bindings, a
 * lower role, or a service token (admins).
 */
export const createTokenSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "give the token a name")
      .max(100, "at most 100 characters")
      .regex(/^[^\p{Cc}]*$/u, "no control characters"),
    expiresInDays: z
      .number()
      .int("whole days")
      .min(TOKEN_EXPIRY_DAYS.min, `at least ${TOKEN_EXPIRY_DAYS.min} day`)
      .max(TOKEN_EXPIRY_DAYS.max, `at most ${TOKEN_EXPIRY_DAYS.max} days`)
      .default(TOKEN_EXPIRY_DAYS.default),
    role: z.enum(roles).optional(),
    // The token's own bindings (lib/domain/bindings.ts), within the creator's; the creator's when left out.
    bindings: z.array(bindingSchema).min(1, "give at least one binding, or leave bindings out").max(50).optional(),
    service: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lower-case letters, digits and dashes, at most 63")
      .optional(),
  })
  .strict();

export type CreateTokenRequest = z.infer<typeof createTokenSchema>;

export const tokenParams = z.object({ id: z.string().regex(/^[a-z0-9]{16}$/, "not a token id") });
