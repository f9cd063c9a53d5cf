import { z } from "zod";

/** GET /api/access?user=&arn=: whose access, on which resource. */
export const accessQuerySchema = z
  .object({
    user: z.string({ error: "give a user name" }).min(1, "give a user name").max(200),
    arn: z.string({ error: "give a resource ARN" }).min(1, "give a resource ARN").max(2048),
  })
  .strict();
