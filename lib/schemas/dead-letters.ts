import { z } from "zod";
import { FANOUT_ENGINE_MAX_RATE, SQS_MAX_MESSAGE_BYTES } from "../domain/replay";
import { SQS_QUEUE_NAME } from "../domain/queue-name";
import { filterPolicyScopeSchema } from "./filter-policy";

/** Request bodies and parameters of the dead-letter routes; every limit is SQS's own. */

export const queueNameSchema = z
  .string()
  .regex(SQS_QUEUE_NAME, "a queue name: 1 to 80 letters, digits, - or _ (FIFO: ending in .fifo)");

const messageIdSchema = z.string().min(1).max(100);

// SQS Developer Guide, "Amazon SQS message attributes": name rules and the three data types.
const attributeNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,256}$/, "letters, digits, _ - . (up to 256)")
  .refine((n) => !/^(aws\.|amazon\.)/i.test(n), "must not start with AWS. or Amazon.")
  .refine((n) => !n.startsWith(".") && !n.endsWith(".") && !n.includes(".."), "no leading, trailing or doubled period");

// The caps are SQS's largest message, 1 MiB (a binary value as base64: 4 characters per 3 bytes);
// the target queue's own MaximumMessageSize is checked when the replay starts.
const sqsAttributeSchema = z
  .object({
    dataType: z
      .string()
      .regex(/^(String|Number|Binary)(\.[A-Za-z0-9_.-]{1,200})?$/, "String, Number or Binary, optionally with .custom"),
    stringValue: z.string().max(SQS_MAX_MESSAGE_BYTES).optional(),
    binaryValue: z
      .string()
      .max(Math.ceil(SQS_MAX_MESSAGE_BYTES / 3) * 4)
      .optional(),
  })
  .strict()
  .refine(
    (a) => (a.stringValue === undefined) !== (a.binaryValue === undefined),
    "give exactly one of stringValue and binaryValue",
  );

export const replayRequestSchema = z
  .object({
    messageIds: z.array(messageIdSchema).min(1).max(1000).optional(),
    all: z.literal(true).optional(),
    filter: z
      .object({ policy: z.string().min(1).max(65_536), scope: filterPolicyScopeSchema })
      .strict()
      .optional(),
    /**
     * A queue name, or `{ queue, override }`: a queue that is not one of the DLQ's sources needs
     * `override: true`, and only an admin may give it.
     */
    target: z
      .union([queueNameSchema, z.object({ queue: queueNameSchema, override: z.boolean().optional() }).strict()])
      .optional(),
    /**
     * Messages per second. Fanout's engine takes up to FANOUT_ENGINE_MAX_RATE (its own limit); a
     * job SQS's message move task runs takes a whole number from 1 to 500 (StartMessageMoveTask),
     * checked once the engine is known.
     */
    ratePerSecond: z.number().positive().max(FANOUT_ENGINE_MAX_RATE).optional(),
    edits: z
      .object({
        body: z.string().min(1).max(SQS_MAX_MESSAGE_BYTES).optional(),
        attributes: z
          .record(attributeNameSchema, sqsAttributeSchema)
          .refine((a) => Object.keys(a).length <= 10, "at most 10 message attributes (SQS)")
          .optional(),
      })
      .strict()
      .optional(),
    /** An idempotency key: the same key from the same user returns the job it already started. */
    clientKey: z.string().min(8).max(100).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if ((r.messageIds === undefined) === (r.all === undefined))
      ctx.addIssue({ code: "custom", path: ["messageIds"], message: "give either messageIds or all: true" });
    if (r.filter && !r.all)
      ctx.addIssue({ code: "custom", path: ["filter"], message: "a filter applies to all: true" });
    if (r.edits && r.messageIds?.length !== 1)
      ctx.addIssue({ code: "custom", path: ["edits"], message: "edits apply to exactly one message" });
  });

export type ReplayRequest = z.infer<typeof replayRequestSchema>;

export const messageIdsSchema = z.object({ messageIds: z.array(messageIdSchema).min(1).max(1000) }).strict();

/** An export: masked as shown, or with `reveal: true` as SQS holds them, if the queue's masking policy lets the caller reveal. */
export const exportSchema = z
  .object({ messageIds: z.array(messageIdSchema).min(1).max(1000), reveal: z.boolean().optional() })
  .strict();

/** A replay about to start: these letters of the view, or (none given) all of it. */
export const replayCheckSchema = z
  .object({ messageIds: z.array(messageIdSchema).min(1).max(1000).optional() })
  .strict();

export const revealSchema = z.object({ messageId: messageIdSchema, path: z.string().min(1).max(1000) }).strict();

export const purgeSchema = z.object({ confirmName: z.string().max(100) }).strict();

/** Take over one holder's leases (a console user's name, OIDC ones included), or without it everyone else's. */
export const takeOverSchema = z.object({ holder: z.string().min(1).max(300).optional() }).strict();

export const consumerSchema = z.object({ uuid: z.string().min(1).max(100), enabled: z.boolean() }).strict();

export const redriveActionSchema = z.enum(["pause", "resume", "cancel"]);

/** `POST /api/queues/{name}/copy`: leased letters of a DLQ into a queue of another environment and region. */
export const copyRequestSchema = z
  .object({
    target: z
      .object({
        environment: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "an environment id"),
        region: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "a region"),
        queue: queueNameSchema,
      })
      .strict(),
    messageIds: z.array(messageIdSchema).min(1).max(1000),
    move: z.boolean().optional(),
  })
  .strict();

export type CopyRequestBody = z.infer<typeof copyRequestSchema>;
