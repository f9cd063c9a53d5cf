import { beforeAll, describe, expect, it } from "vitest";
import type { SegmentDocument } from "../../infra/local";
import { testContext } from "../../test/context";
import type { ProxyAnswer } from "../../test/fault-proxy";
import { throughFaultProxy } from "../../test/proxied-context";
import { orderTraces, putSegments } from "../../test/trace-fixtures";

/**
 * Traces of an account that uses CloudWatch Transaction Search, played by the fault proxy in front
 * of moto: it answers GetTraceSegmentDestination (CloudWatchLogs, ACTIVE), StartTraceRetrieval and
 * ListRetrievedTraces (the spans below, as the log group would hold them), and passes the rest to
 * moto. moto holds only the "indexed" part: one of the two consumer invocations, and no producer,
 * so whatever else the console shows it can only have retrieved.
 */

const { id, billing, inventory, traceIdAt, publishedAt, producer, producerId, consume } = orderTraces();
const HOUR = 3_600_000;

/** Indexed: X-Ray lists its summary. */
const indexed = consume(billing, publishedAt + 1_000, [producer.header], "amount is undefined");
/** Only in the log group. */
const unindexed = consume(inventory, publishedAt + 800, [producer.header]);
const logGroup = new Map<string, SegmentDocument[]>(
  [producer.segments, indexed, unindexed].map((segments) => [segments[0]!.trace_id, segments]),
);

const retrievals: Array<{ TraceIds: string[]; StartTime: number; EndTime: number }> = [];
const listed: Array<{ RetrievalToken: string; TraceFormat?: string }> = [];

/** StartTraceRetrieval and ListRetrievedTraces over `logGroup`; each retrieval is RUNNING at its first poll. */
function transactionSearchAnswers(destination = "CloudWatchLogs"): Record<string, ProxyAnswer> {
  const polls = new Map<string, number>();
  return {
    GetTraceSegmentDestination: { Destination: destination, Status: "ACTIVE" },
    StartTraceRetrieval: (request) => {
      retrievals.push(request as (typeof retrievals)[number]);
      return { RetrievalToken: `token-${retrievals.length - 1}` };
    },
    ListRetrievedTraces: (request) => {
      const ask = request as (typeof listed)[number];
      listed.push(ask);
      const n = (polls.get(ask.RetrievalToken) ?? 0) + 1;
      polls.set(ask.RetrievalToken, n);
      if (n === 1) return { RetrievalStatus: "RUNNING" };
      const { TraceIds } = retrievals[Number(ask.RetrievalToken.split("-")[1])]!;
      const traces = TraceIds.flatMap((traceId) => {
        const segments = logGroup.get(traceId);
        return segments
          ? [{ Id: traceId, Duration: 0.2, Spans: segments.map((s) => ({ Id: s.id, Document: JSON.stringify(s) })) }]
          : [];
      });
      return { RetrievalStatus: "COMPLETE", TraceFormat: "XRAY", Traces: traces };
    },
  };
}

// Every AWS call of this file goes through the proxy.
const through = throughFaultProxy((endpoint) => testContext({ endpoint }));

beforeAll(async () => {
  await putSegments(through.context.aws.clients.xray, indexed);
  const { setRetrievalOptions } = await import("./traces");
  setRetrievalOptions({ sleep: async () => {} });
});

describe("under CloudWatch Transaction Search", () => {
  it(
    "tells a message's story from retrieved traces, and says the scan saw the indexed sample",
    { timeout: 60_000 },
    async () => {
      const { getMessageStory } = await import("./traces");
      through.proxy.setFault({ mode: "answer", answers: transactionSearchAnswers() });
      retrievals.length = 0;
      listed.length = 0;
      const {
        story,
        producer: waterfall,
        transactionSearch,
      } = await getMessageStory(through.context, { header: producer.header });
      expect(story.state).toBe("found");
      // The producer is in no X-Ray index here: only the retrieval can have found it.
      expect(story.producer).toMatchObject({
        found: true,
        service: `storefront-${id}`,
        topic: { name: `orders-${id}` },
      });
      expect(waterfall?.traceId).toBe(producerId);
      expect(story.invocations.map((i) => i.functionName)).toEqual([billing]);
      expect(story.invocations[0]?.exceptions[0]?.message).toBe("amount is undefined");
      expect(story.reason).not.toMatch(/not recorded|not indexed yet/);
      expect(transactionSearch?.destination).toBe("CloudWatchLogs");
      expect(transactionSearch?.note).toMatch(/an invocation missing here may still have run/);
      // Retrievals of the producer and the listed traces, 100 ids at most each, polled until COMPLETE, in the XRAY format.
      expect(retrievals.flatMap((r) => r.TraceIds)).toEqual(expect.arrayContaining([producerId, indexed[0]!.trace_id]));
      expect(retrievals.every((r) => r.TraceIds.length <= 100)).toBe(true);
      expect(retrievals.find((r) => r.TraceIds.includes(producerId))!.StartTime * 1000).toBeLessThanOrEqual(
        publishedAt,
      );
      expect(listed.length).toBeGreaterThanOrEqual(2);
      expect(listed.every((l) => l.TraceFormat === "XRAY")).toBe(true);
    },
  );

  it("opens an invocation's trace and the producer it links to through retrieval", { timeout: 60_000 }, async () => {
    const { getTraceView } = await import("./traces");
    through.proxy.setFault({ mode: "answer", answers: transactionSearchAnswers() });
    const view = await getTraceView(through.context, unindexed[0]!.trace_id);
    expect(view.waterfall.traceId).toBe(unindexed[0]!.trace_id);
    expect(view.linked.map((t) => t.id)).toEqual([producerId]);
    expect(view.transactionSearch?.note).toMatch(/StartTraceRetrieval/);
    const absent = traceIdAt(Date.now());
    await expect(getTraceView(through.context, absent)).rejects.toMatchObject({
      code: "not_found",
      message: expect.stringContaining("Transaction Search log group"),
    });
  });

  it(
    "says a trace is still being retrieved when the retrieval does not complete, rather than that it does not exist",
    { timeout: 60_000 },
    async () => {
      const { getTraceView } = await import("./traces");
      through.proxy.setFault({
        mode: "answer",
        answers: { ...transactionSearchAnswers(), ListRetrievedTraces: { RetrievalStatus: "RUNNING" } },
      });
      const absent = traceIdAt(Date.now());
      await expect(getTraceView(through.context, absent)).rejects.toMatchObject({
        code: "upstream_unavailable",
        message: expect.stringContaining("still retrieving"),
      });
    },
  );

  it("lists the indexed sample, and says so", { timeout: 60_000 }, async () => {
    const { listTraces } = await import("./traces");
    through.proxy.setFault({ mode: "answer", answers: transactionSearchAnswers() });
    const list = await listTraces(through.context, { window: "15m", criteria: { service: billing } });
    expect(list.items.map((t) => t.id)).toEqual([indexed[0]!.trace_id]);
    expect(list.transactionSearch?.note).toMatch(/This list shows the indexed sample/);
  });

  it(
    "without Transaction Search (destination XRay) reads X-Ray's index as before and says nothing new",
    { timeout: 60_000 },
    async () => {
      const { getMessageStory } = await import("./traces");
      through.proxy.setFault({ mode: "answer", answers: transactionSearchAnswers("XRay") });
      retrievals.length = 0;
      // Ten minutes on: the destination is asked again.
      const { story, transactionSearch } = await getMessageStory(
        through.context,
        { header: producer.header },
        Date.now() + 10 * 60_000,
      );
      expect(transactionSearch).toBeUndefined();
      expect(retrievals).toEqual([]);
      expect(story.producer?.found).toBe(false);
      expect(story.invocations.map((i) => i.functionName)).toEqual([billing]);
    },
  );
});

describe("GetTraceSummaries over more than 6 hours", () => {
  it("asks in consecutive windows of 6 hours at most, newest first", { timeout: 60_000 }, async () => {
    const { durationsByService } = await import("./traces");
    const asked: Array<{ from: number; to: number }> = [];
    through.proxy.setFault({
      mode: "answer",
      answers: {
        GetTraceSegmentDestination: { Destination: "XRay", Status: "ACTIVE" },
        GetTraceSummaries: (request) => {
          asked.push({ from: Number(request.StartTime) * 1000, to: Number(request.EndTime) * 1000 });
          return { TraceSummaries: [] };
        },
      },
    });
    const end = Math.floor(Date.now() / 1000) * 1000;
    const start = end - 30 * 24 * HOUR;
    const { traces } = await durationsByService(
      through.context,
      { start: new Date(start), end: new Date(end) },
      Date.now() + 20 * 60_000,
    );
    expect(traces).toBe(0);
    expect(asked).toHaveLength(120);
    expect(asked[0]).toEqual({ from: end - 6 * HOUR, to: end });
    expect(asked.at(-1)).toEqual({ from: start, to: start + 6 * HOUR });
    for (const [i, w] of asked.entries()) {
      expect(w.to - w.from).toBeLessThanOrEqual(6 * HOUR);
      if (i > 0) expect(w.to).toBe(asked[i - 1]!.from);
    }
  });

  it(
    "reports X-Ray's InvalidRequestException as a refused query naming the window, not a 500",
    { timeout: 60_000 },
    async () => {
      const { listTraces } = await import("./traces");
      through.proxy.setFault({
        mode: "error",
        status: 400,
        code: "InvalidRequestException",
        message: "Invalid time range",
        operation: "GetTraceSummaries",
      });
      await expect(listTraces(through.context, { window: "6h", criteria: {} })).rejects.toMatchObject({
        code: "validation",
        message: expect.stringMatching(
          /^X-Ray refused xray:GetTraceSummaries as invalid.*Invalid time range \(asked for traces from .* to .*\)$/,
        ),
      });
      through.proxy.setFault({ mode: "pass" });
    },
  );
});
