import { z } from "zod";
import { SCOPE_SEGMENT } from "../domain/scope";

/** Request bodies of the filter-policy routes. Limits keep hostile input small before any parsing work. */

export const filterPolicyScopeSchema = z.enum(["MessageAttributes", "MessageBody"]);

export const messageAttributeSchema = z.object({
  Type: z.enum(["String", "Number", "String.Array", "Binary"]),
  Value: z.string().max(262_144),
});

export const messageAttributesSchema = z
  .record(z.string().min(1).max(256), messageAttributeSchema)
  .refine((a) => Object.keys(a).length <= 10, "at most 10 message attributes (SNS)");

export const filterMessageSchema = z.union([
  z.object({ attributes: messageAttributesSchema }).strict(),
  z.object({ body: z.string().max(262_144) }).strict(),
]);

export const policyStateSchema = z.object({ policy: z.string().nullable(), scope: filterPolicyScopeSchema });

export const saveFilterPolicySchema = z.object({
  policy: z.unknown(),
  scope: filterPolicyScopeSchema,
  expected: policyStateSchema,
  removePolicy: z.boolean().optional(),
});

/** A draft policy whose impact is asked for: validated like a save, changing nothing. */
export const filterPolicyImpactSchema = z.object({ policy: z.unknown(), scope: filterPolicyScopeSchema });

/** Another environment and region, as a query string or a body names it (an unknown one is a 404 later). */
export const scopeSchema = z.object({
  environment: z.string().regex(SCOPE_SEGMENT, "an environment id"),
  region: z.string().regex(SCOPE_SEGMENT, "a region name"),
});

export const copyFilterPolicySchema = z.object({
  from: scopeSchema.extend({ subscriptionArn: z.string().min(1).max(1024) }),
  expected: policyStateSchema,
});

export const rollbackFilterPolicySchema = z.object({
  versionId: z.number().int().positive(),
  expected: policyStateSchema,
});

export const testFilterPolicySchema = z.object({
  policy: z.unknown(),
  scope: filterPolicyScopeSchema,
  messages: z.array(filterMessageSchema).min(1).max(100),
});

export const routeMessageSchema = z.object({
  message: z.object({ body: z.string().max(262_144), attributes: messageAttributesSchema.optional() }),
});

export const saveSampleMessageSchema = z.object({
  name: z.string().trim().min(1).max(100),
  body: z.string().max(262_144),
  attributes: messageAttributesSchema,
});
