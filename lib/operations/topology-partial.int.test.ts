import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { testContext } from "../../test/context";

// Lambda's endpoint refuses connections: its part fails, the rest of the account still comes back.
const { clients } = testContext({ env: { AWS_ENDPOINT_URL_LAMBDA: "http://127.0.0.1:9" } }).aws;

describe("collecting the topology when one service fails", () => {
  it("marks the failed part and keeps the rest", { timeout: 60_000 }, async () => {
    const name = `partial-${randomUUID().slice(0, 8)}`;
    await clients.sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { collectAccount } = await import("./topology");
    const { buildTopology } = await import("../domain/topology");
    const account = await collectAccount(clients);
    expect(new Set(account.failures?.map((f) => f.part))).toEqual(new Set(["lambda"]));
    const t = buildTopology(account);
    expect(t.partial.map((p) => p.part)).toEqual(["lambda"]);
    expect(t.nodes.find((n) => n.name === name)).toMatchObject({ kind: "queue" });
  });
});
