import { beforeAll, describe, expect, it } from "vitest";
import { producerTrace, type SegmentDocument } from "../../infra/local";
import { traceHeader } from "../domain/traces/header";
import { knownCapability } from "../aws/call";
import { getMessageStory, getServiceMap, getTraceView, listTraces } from "./traces";
import { testContext } from "../../test/context";
import { orderTraces, putSegments } from "../../test/trace-fixtures";

/**
 * Segments put to moto in AWS's shape, read back through the console: moto cannot filter or map
 * (FilterExpression fails, GetServiceGraph is empty), so every view here is derived from the traces.
 */

const { id, region, topicArn, billing, inventory, rand, traceIdAt, publishedAt, producer, producerId, consume } =
  orderTraces();
const ctx = testContext();
const put = (segments: SegmentDocument[]) => putSegments(ctx.aws.clients.xray, segments);
const attempts: string[] = [];

beforeAll(async () => {
  await put(producer.segments);
  // The message is received three times by billing, failing each time, and once by inventory.
  for (let i = 0; i < 3; i++) {
    const segments = consume(
      billing,
      publishedAt + 1_000 + i * 10_000,
      [producer.header],
      `attempt ${i + 1}: amount is undefined`,
    );
    attempts.push(segments[0]!.trace_id);
    await put(segments);
  }
  await put(consume(inventory, publishedAt + 800, [producer.header]));
  // Another message's consumer, in the same window: not part of this message's story.
  const other = producerTrace({
    traceId: traceIdAt(publishedAt),
    rand,
    service: `storefront-${id}`,
    start: publishedAt + 5,
    end: publishedAt + 30,
    topicArn,
    region,
  });
  await put(other.segments);
  await put(consume(inventory, publishedAt + 2_000, [other.header]));
});

describe("traces from moto", () => {
  it("lists and filters traces in the app, and says it did", { timeout: 60_000 }, async () => {
    const failed = await listTraces(ctx, { window: "15m", criteria: { service: billing } });
    expect(failed.source).toBe("traces");
    expect(knownCapability(ctx.aws.key, "xray", "GetTraceSummaries.FilterExpression")).toBe("not_supported");
    // moto has no GetTraceSegmentDestination: X-Ray's own index, and nothing said about Transaction Search.
    expect(knownCapability(ctx.aws.key, "xray", "GetTraceSegmentDestination")).toBe("not_supported");
    expect(failed.transactionSearch).toBeUndefined();
    expect(failed.derivedFrom).toBeGreaterThanOrEqual(7);
    expect(failed.items.map((t) => t.id).sort()).toEqual([...attempts].sort());
    expect(failed.items.every((t) => t.status === "fault" && t.linkedTraceIds.includes(producerId))).toBe(true);

    const ok = await listTraces(ctx, { window: "15m", criteria: { service: inventory, status: "ok" } });
    expect(ok.items).toHaveLength(2);
    const slow = await listTraces(ctx, { window: "15m", criteria: { service: inventory, minDurationMs: 151 } });
    expect(slow.items).toHaveLength(0);
    const byTopic = await listTraces(ctx, { window: "15m", criteria: { service: topicArn } });
    expect(byTopic.items.map((t) => t.entry?.name)).toEqual([`storefront-${id}`, `storefront-${id}`]);
  });

  it("derives the service map: the topic's deliveries to billing all faulted", { timeout: 60_000 }, async () => {
    const view = await getServiceMap(ctx, { window: "15m" });
    expect(view.source).toBe("traces");
    const topicNode = view.map.nodes.find((n) => n.name === `orders-${id}`)!;
    expect(topicNode.type).toBe("AWS::SNS::Topic");
    const toBilling = view.map.edges.find(
      (e) =>
        e.from === topicNode.id && e.kind === "link" && view.map.nodes.find((n) => n.id === e.to)?.name === billing,
    )!;
    expect(toBilling.stats).toMatchObject({ requests: 3, faults: 3, faultRate: 1 });
    const toInventory = view.map.edges.find(
      (e) =>
        e.from === topicNode.id && e.kind === "link" && view.map.nodes.find((n) => n.id === e.to)?.name === inventory,
    )!;
    expect(toInventory.stats).toMatchObject({ requests: 2, faults: 0 });
    expect(view.positions[topicNode.id]).toBeDefined();
  });

  it(
    "opens one invocation: its waterfall, its exception and the producer it consumed",
    { timeout: 60_000 },
    async () => {
      const view = await getTraceView(ctx, attempts[0]!);
      expect(view.waterfall.status).toBe("fault");
      expect(view.waterfall.failures[0]?.exceptions[0]).toMatchObject({
        type: "TypeError",
        message: "attempt 1: amount is undefined",
      });
      expect(view.waterfall.failures[0]?.exceptions[0]?.stack[0]).toEqual({
        path: "index.js",
        line: 42,
        label: "charge",
      });
      expect(view.linked.map((t) => t.id)).toEqual([producerId]);
      await expect(getTraceView(ctx, traceIdAt(Date.now()))).rejects.toMatchObject({
        code: "not_found",
      });
      await expect(getTraceView(ctx, "not-a-trace")).rejects.toMatchObject({ code: "validation" });
    },
  );

  it("tells a message's story: the failed invocations first, with their exceptions", { timeout: 60_000 }, async () => {
    const { story, producer: waterfall } = await getMessageStory(ctx, { header: producer.header });
    expect(story.state).toBe("found");
    expect(story.producer).toMatchObject({ found: true, service: `storefront-${id}`, topic: { name: `orders-${id}` } });
    expect(story.invocations.map((i) => i.functionName)).toEqual([billing, billing, billing, inventory]);
    expect(story.invocations.slice(0, 3).map((i) => i.exceptions[0]?.message)).toEqual([
      "attempt 1: amount is undefined",
      "attempt 2: amount is undefined",
      "attempt 3: amount is undefined",
    ]);
    expect(story.failedAttempts).toBe(3);
    expect(waterfall?.traceId).toBe(producerId);
    expect(story.reason).not.toContain("Transaction Search");
  });

  it("says why there is no story: not sampled, or not found in the window scanned", { timeout: 60_000 }, async () => {
    const unsampled = await getMessageStory(ctx, {
      header: traceHeader({ traceId: traceIdAt(Date.now()), sampled: false }),
    });
    expect(unsampled.story.state).toBe("not-sampled");
    const unknown = await getMessageStory(ctx, {
      header: traceHeader({
        traceId: traceIdAt(Date.now() - 600_000),
        parentId: "0123456789abcdef",
        sampled: true,
      }),
    });
    expect(unknown.story.state).toBe("not-found");
    expect(unknown.story.scanned.traces).toBeGreaterThan(0);
  });
});

describe("durations from traces, where the endpoint computes no percentiles", () => {
  it("takes each invocation's AWS::Lambda segment, per function", { timeout: 60_000 }, async () => {
    const { durationsByService } = await import("./traces");
    const { byService, traces } = await durationsByService(ctx, {
      start: new Date(Date.now() - 15 * 60_000),
      end: new Date(),
    });
    expect(traces).toBeGreaterThanOrEqual(7);
    expect(byService.get(billing)).toEqual([150, 150, 150]);
    expect(byService.get(inventory)).toEqual([150, 150]);
    expect(byService.get(`storefront-${id}`)).toHaveLength(2);
  });
});
