import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { handler as inventory } from "./inventory/handler";
import { handler as notification } from "./notification/handler";
import { handler as payment } from "./payment/handler";
import { orderEvent, sqsEvent, standardQueueArn } from "./shared/testing";

const handlers = [
  ["inventory", inventory],
  ["payment", payment],
  ["notification", notification],
] as const;

// An event each service handles, a poison one, one the service receives but ignores, a malformed one.
const batch = [
  orderEvent({ type: "order.placed" }),
  orderEvent({ poison: true, eventId: "0b8e4f0a-5a3c-4d2e-8f6b-1c9d7e2a4b60" }),
  orderEvent({ type: "order.shipped" }),
  "{oops",
];

describe.each(handlers)("%s handler", (service, handler) => {
  let log: ReturnType<typeof vi.spyOn>;
  let error: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    log = vi.spyOn(console, "log").mockImplementation(() => {});
    error = vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterEach(() => vi.restoreAllMocks());

  it("on a FIFO queue returns the poison record and every later one, and logs the batch", async () => {
    await expect(handler(sqsEvent(batch))).resolves.toEqual({
      batchItemFailures: [{ itemIdentifier: "m-2" }, { itemIdentifier: "m-3" }, { itemIdentifier: "m-4" }],
    });
    expect(log).toHaveBeenCalledWith(JSON.stringify({ service, records: 4, failed: 3 }));
    expect(error).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(error.mock.calls[0]?.[0]))).toMatchObject({
      service,
      messageId: "m-2",
      error: "poison message: 0b8e4f0a-5a3c-4d2e-8f6b-1c9d7e2a4b60",
    });
  });

  it("on a standard queue returns only the failed records", async () => {
    await expect(handler(sqsEvent(batch, standardQueueArn))).resolves.toEqual({
      batchItemFailures: [{ itemIdentifier: "m-2" }, { itemIdentifier: "m-4" }],
    });
    expect(error).toHaveBeenCalledTimes(2);
  });

  it("returns no failures for an empty batch", async () => {
    await expect(handler({ Records: [] })).resolves.toEqual({ batchItemFailures: [] });
    expect(log).toHaveBeenCalledWith(JSON.stringify({ service, records: 0, failed: 0 }));
  });
});
