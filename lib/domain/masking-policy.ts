import { z } from "zod";
import { arnMatches, arnPatternSchema } from "./bindings";
import {
  maskAllBut,
  maskMessage,
  maskMessageWith,
  maskPaths,
  MAX_JSON_DEPTH,
  parseMaskRules,
  pathsWithEmptySegment,
  type DeadLetterMessage,
  type MaskRules,
} from "./dead-letter-message";
import { roleAtLeast, type Role } from "./roles";

/**
 * Masking as policy: per dead-letter queue (ARN patterns, as role bindings match them), what is
 * hidden (named fields and attributes, or everything but an allowlist) and the least role on the
 * queue that may reveal it. The first policy whose pattern matches a queue's ARN applies; where none
 * does, the environment's rules (FANOUT_MASK_*, or its `mask`) apply as they always did, revealed
 * by an operator. Pure, for the server, the page and tests.
 */

/** The least role on the queue that may reveal: never a viewer (the reveal route needs an operator); "none" is nobody. */
export const revealRoles = ["operator", "admin", "none"] as const;
export type RevealRole = (typeof revealRoles)[number];

export interface MaskingPolicy {
  /** What people call it, e.g. "payments PII"; optional. */
  name?: string;
  /** ARN patterns, `*` any run of characters (arnMatches). */
  resources: readonly string[];
  /** Every payload field and message attribute is hidden except `allow`. */
  maskByDefault: boolean;
  /** With maskByDefault: the fields (dot paths) and attributes that stay in sight. */
  allow: MaskRules;
  /** Hidden in every case, also where `allow` would show them. */
  mask: MaskRules;
  reveal: RevealRole;
  /** Where it is configured (`FANOUT_ENVIRONMENTS[0].masking[1]`, `FANOUT_MASKING[0]`), for "why". */
  from: string;
}

/** The masking of an environment: its policies in order, and the rules where none matches. */
export interface Masking {
  policies: readonly MaskingPolicy[];
  /** FANOUT_MASK_* or the environment's `mask`, as a policy (see rulesPolicy). */
  otherwise: MaskingPolicy;
}

/** The policy in force on one queue, and why. */
export interface MaskingInForce {
  policy: MaskingPolicy;
  queueArn: string;
  /** The pattern that matched the queue's ARN; undefined where no policy matched and `otherwise` applies. */
  pattern?: string;
}

const noRules: MaskRules = { payloadPaths: [], attributeNames: [] };

/** Today's rules as a policy: only what they name is hidden, and an operator may reveal it. */
export function rulesPolicy(rules: MaskRules, from: string): MaskingPolicy {
  return { resources: [], maskByDefault: false, allow: noRules, mask: rules, reveal: "operator", from };
}

/** The first policy with a pattern matching the queue's ARN, else the environment's rules. */
export function maskingFor(masking: Masking, queueArn: string): MaskingInForce {
  for (const policy of masking.policies) {
    const pattern = policy.resources.find((p) => arnMatches(p, queueArn));
    if (pattern !== undefined) return { policy, queueArn, pattern };
  }
  return { policy: masking.otherwise, queueArn };
}

/**
 * A decoded dead letter masked by a policy, with maskMessage's guarantees (never fails open: a
 * payload the policy cannot be applied to is withheld). Mask-by-default hides every payload value
 * no allowed path reaches, and every message attribute not allowed, by name in any case.
 */
export function maskByPolicy(d: DeadLetterMessage, policy: MaskingPolicy): DeadLetterMessage {
  if (!policy.maskByDefault) return maskMessage(d, policy.mask);
  const allowed = new Set(policy.allow.attributeNames.map((n) => n.toLowerCase()));
  const masked = new Set(policy.mask.attributeNames.map((n) => n.toLowerCase()));
  return maskMessageWith(d, {
    guardsPayload: true,
    payload: (payload, paths) =>
      maskPaths(maskAllBut(payload, policy.allow.payloadPaths, paths), policy.mask.payloadPaths, paths),
    attribute: (name) => !allowed.has(name.toLowerCase()) || masked.has(name.toLowerCase()),
  });
}

/** Whether a caller with `role` on the queue (undefined: none) may reveal under the policy. */
export function mayReveal(policy: MaskingPolicy, role: Role | undefined): boolean {
  return policy.reveal !== "none" && role !== undefined && roleAtLeast(role, policy.reveal);
}

/** The policy as people name it: `the masking policy "payments PII" (FANOUT_MASKING[0])`. */
export function policyLabel(policy: MaskingPolicy): string {
  if (policy.resources.length === 0) return `the masking rules of ${policy.from}`;
  return policy.name ? `the masking policy "${policy.name}" (${policy.from})` : `the masking policy ${policy.from}`;
}

/** Why the caller may not reveal on the queue, naming the policy; undefined when they may. */
export function revealRefusal(inForce: MaskingInForce, role: Role | undefined): string | undefined {
  const { policy, queueArn } = inForce;
  if (mayReveal(policy, role)) return undefined;
  const label = capitalized(policyLabel(policy));
  if (policy.reveal === "none") return `${label}: nobody may reveal masked values on ${queueArn}.`;
  const who = policy.reveal === "admin" ? "an admin" : "an operator or admin";
  const yours = role ? `your bindings give you ${role} there` : "none of your bindings reaches it";
  return `${label}: only ${who} on ${queueArn} may reveal masked values; ${yours}.`;
}

/** What the dead-letter page says of the masking in force: what is hidden here, why, and who may reveal it. */
export interface MaskingDescription {
  /** Where it is configured. */
  from: string;
  name?: string;
  /** The ARN pattern that chose the policy; absent where no policy matched. */
  pattern?: string;
  maskByDefault: boolean;
  /** Hidden in every case (with maskByDefault, also where allowed). */
  fields: string[];
  attributes: string[];
  /** With maskByDefault, what stays in sight. */
  allowedFields: string[];
  allowedAttributes: string[];
  reveal: RevealRole;
  /** The same as sentences, in order: why this policy, what is hidden, what is withheld, who may reveal. */
  text: string[];
}

export function describeMasking(inForce: MaskingInForce): MaskingDescription {
  const { policy, queueArn, pattern } = inForce;
  const { payloadPaths: fields, attributeNames: attributes } = policy.mask;
  const { payloadPaths: allowedFields, attributeNames: allowedAttributes } = policy.allow;
  const text = [
    pattern === undefined
      ? `No masking policy matches this queue (${queueArn}), so ${policyLabel(policy)} apply.`
      : `${capitalized(policyLabel(policy))} applies: this queue's ARN ${queueArn} matches ${pattern}.`,
  ];
  const hidesSomething = policy.maskByDefault || fields.length > 0 || attributes.length > 0;
  if (policy.maskByDefault) {
    const shown = [
      ...(allowedFields.length ? [`the ${fieldsNamed(allowedFields)}`] : []),
      ...(allowedAttributes.length ? [`the ${attributesNamed(allowedAttributes)}`] : []),
    ];
    text.push(
      "Every payload field and every message attribute is hidden" +
        (shown.length ? `, except ${shown.join(" and ")}.` : "."),
    );
    const always = [
      ...(fields.length ? [fieldsNamed(fields)] : []),
      ...(attributes.length ? [attributesNamed(attributes)] : []),
    ];
    if (always.length) text.push(`Hidden even where allowed: the ${always.join(" and the ")}.`);
  } else if (hidesSomething) {
    const hidden = [
      ...(fields.length ? [fieldsNamed(fields)] : []),
      ...(attributes.length ? [attributesNamed(attributes)] : []),
    ];
    text.push(`Hidden: the ${hidden.join(" and the ")}.`);
  } else text.push("Nothing is hidden here.");
  if (policy.maskByDefault || fields.length > 0)
    text.push(
      `A payload that is not JSON, or is nested deeper than ${MAX_JSON_DEPTH} levels, is withheld whole: ` +
        "the policy cannot be applied to it.",
    );
  if (hidesSomething) text.push(whoMayReveal(policy.reveal));
  return {
    from: policy.from,
    ...(policy.name ? { name: policy.name } : {}),
    ...(pattern !== undefined ? { pattern } : {}),
    maskByDefault: policy.maskByDefault,
    fields: [...fields],
    attributes: [...attributes],
    allowedFields: [...allowedFields],
    allowedAttributes: [...allowedAttributes],
    reveal: policy.reveal,
    text,
  };
}

function whoMayReveal(reveal: RevealRole): string {
  if (reveal === "none") return "Nobody may reveal a hidden value here, not even an admin.";
  const who = reveal === "admin" ? "Only an admin" : "An operator or admin";
  return `${who} on this queue may reveal a hidden value, one at a time or in an export; every reveal is audited.`;
}

const fieldsNamed = (paths: readonly string[]) => `${paths.length === 1 ? "field" : "fields"} ${paths.join(", ")}`;
const attributesNamed = (names: readonly string[]) =>
  `${names.length === 1 ? "attribute" : "attributes"} ${names.join(", ")} (any case)`;
const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

// ---- configuration -------------------------------------------------------------------------------

const MAX_POLICIES = 100;

const pathList = z.array(z.string({ error: "must be a dot path" }), { error: "must be a list of dot paths" });
const nameList = z.array(z.string({ error: "must be an attribute name" }), {
  error: "must be a list of attribute names",
});

/** The fix for a bad masking policy, wherever it is configured. */
export const MASKING_FIX =
  'give a list of policies, e.g. [{"resources": ["arn:aws:sqs:*:*:payments-*"], "maskByDefault": true, ' +
  '"allow": {"fields": ["orderId"], "attributes": ["eventType"]}, "reveal": "admin"}]; ' +
  "fields and attributes name what is always hidden; reveal is operator (the default), admin or none";

/** One policy as configured (FANOUT_MASKING, an environment's `masking`), before it is told where it came from. */
export const maskingPolicySchema = z
  .object({
    name: z.string({ error: "must be a name" }).trim().min(1, "must not be empty").max(64).optional(),
    resources: z
      .array(arnPatternSchema, { error: "must be a list of ARN patterns" })
      .min(1, "must list at least one ARN pattern, e.g. arn:aws:sqs:*:*:payments-*-dlq")
      .max(50, "must list at most 50 patterns"),
    maskByDefault: z.boolean({ error: "must be true or false" }).default(false),
    allow: z.object({ fields: pathList.optional(), attributes: nameList.optional() }).strict().optional(),
    fields: pathList.optional(),
    attributes: nameList.optional(),
    reveal: z
      .enum(revealRoles, { error: "must be operator, admin or none (a viewer never reveals)" })
      .default("operator"),
  })
  .strict()
  .transform((spec, ctx) => {
    const mask = parseMaskRules((spec.fields ?? []).join(","), (spec.attributes ?? []).join(","));
    const allow = parseMaskRules((spec.allow?.fields ?? []).join(","), (spec.allow?.attributes ?? []).join(","));
    for (const path of pathsWithEmptySegment(mask))
      ctx.addIssue({ code: "custom", path: ["fields"], message: `"${path}" has an empty segment` });
    for (const path of pathsWithEmptySegment(allow))
      ctx.addIssue({ code: "custom", path: ["allow", "fields"], message: `"${path}" has an empty segment` });
    if (spec.allow && !spec.maskByDefault)
      ctx.addIssue({
        code: "custom",
        path: ["allow"],
        message: "applies only with maskByDefault: true (without it, only fields and attributes are hidden)",
      });
    const { name, resources, maskByDefault, reveal } = spec;
    return { ...(name ? { name } : {}), resources, maskByDefault, allow, mask, reveal };
  });

export const maskingPoliciesSchema = z
  .array(maskingPolicySchema, { error: "must be a list of masking policies" })
  .max(MAX_POLICIES, `must list at most ${MAX_POLICIES} policies`);

export type MaskingPolicySpec = z.output<typeof maskingPolicySchema>;

/** Policies as configured at `at` (`FANOUT_MASKING`, `FANOUT_ENVIRONMENTS[0].masking`), each told its place. */
export const policiesAt = (specs: readonly MaskingPolicySpec[], at: string): MaskingPolicy[] =>
  specs.map((spec, index) => ({ ...spec, from: `${at}[${index}]` }));
