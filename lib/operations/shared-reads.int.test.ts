import { describe, expect, it } from "vitest";
import { contextAs } from "../../test/context";
import { throughFaultProxy } from "../../test/proxied-context";
import { deadLetterQueueWith } from "../../test/queues";
import { forgetSharedResults } from "../shared-result";
import { deadLetterOverview, forgetDeadLetterOverview } from "./dead-letters";
import { listTraces } from "./traces";

/**
 * The dead-letter overview and the trace list are read once for every viewer of an environment, as
 * the topology and the SLA page are: behind a proxy that counts the console's calls, viewers who ask
 * together or soon after the first cost AWS nothing more, until the console changes what a DLQ holds.
 */

const through = throughFaultProxy((endpoint) => contextAs("first", "viewer", { endpoint }));
const viewers = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    ...through.context,
    actor: { name: `viewer-${i}`, role: "viewer" as const },
  }));

describe("reads shared between viewers", () => {
  it("the dead-letter overview: ten viewers cost what one does; a change made through the console is read afresh", async () => {
    const { dlq } = await deadLetterQueueWith(through.context.aws.clients.sqs, "shared-reads", 2);
    forgetSharedResults();
    through.proxy.setFault({ mode: "pass" });
    const first = await deadLetterOverview(through.context);
    expect(first.deadLetterQueues.find((q) => q.name === dlq)?.visible).toBe(2);
    expect(through.proxy.requests).toBeGreaterThan(0);

    through.proxy.setFault({ mode: "pass" });
    const answers = await Promise.all(viewers(10).map((ctx) => deadLetterOverview(ctx)));
    expect(through.proxy.requests).toBe(0);
    expect(answers.every((a) => a.collectedAt === first.collectedAt)).toBe(true);

    forgetDeadLetterOverview(through.context);
    await deadLetterOverview(through.context);
    expect(through.proxy.requests).toBeGreaterThan(0);
  });

  it("the trace list: the same query from ten viewers is one read of X-Ray; another query is its own", async () => {
    forgetSharedResults();
    through.proxy.setFault({ mode: "pass" });
    await listTraces(through.context, { window: "15m", criteria: {} });
    const once = through.proxy.requests;
    expect(once).toBeGreaterThan(0);

    await Promise.all(viewers(10).map((ctx) => listTraces(ctx, { window: "15m", criteria: {} })));
    expect(through.proxy.requests).toBe(once);

    await listTraces(through.context, { window: "15m", criteria: { status: "error" } });
    expect(through.proxy.requests).toBeGreaterThan(once);
  });
});
