import { onQueue } from "@/lib/api/params";
import { withSession } from "@/lib/api/with-session";
import { queueConsumers, setQueueConsumer } from "@/lib/operations/consumers";
import { consumerSchema } from "@/lib/schemas/dead-letters";

export const dynamic = "force-dynamic";

// GET /api/queues/{name}/consumers — the Lambda event source mappings that read the queue.
export const GET = withSession(
  "GET /api/queues/[name]/consumers",
  async ({ params, ctx }) => ({
    consumers: await queueConsumers(ctx, params.name),
  }),
  { ...onQueue },
);

// PUT /api/queues/{name}/consumers { uuid, enabled } — pause or resume one of them (audited).
export const PUT = withSession(
  "PUT /api/queues/[name]/consumers",
  async ({ params, body, ctx }) => setQueueConsumer(ctx, params.name, body.uuid, body.enabled),
  { ...onQueue, body: consumerSchema },
);
