import { describe, expect, it } from "vitest";
import { endpointDifferences } from "./endpoint-differences";

describe("endpointDifferences", () => {
  it("says nothing for AWS or an unnamed endpoint", () => {
    expect(endpointDifferences(undefined, { a: [{ cidr: "10.0.0.0/8" }] }, "MessageAttributes")).toEqual([]);
    expect(endpointDifferences("localstack", { $or: [{ a: ["x"] }, { b: ["y"] }] }, "MessageBody")).toEqual([]);
  });

  it.each([
    ["cidr", { ip: [{ cidr: "10.0.0.0/8" }] }, "MessageAttributes", "$.ip[0].cidr", "ip", false],
    ["wildcard", { name: [{ wildcard: "ord*" }] }, "MessageAttributes", "$.name[0].wildcard", "name", false],
    [
      "upper-case equals-ignore-case",
      { t: [{ "equals-ignore-case": "ORDER" }] },
      "MessageAttributes",
      "$.t[0].equals-ignore-case",
      "t",
      false,
    ],
    [
      "a nested cidr",
      { client: { ip: [{ cidr: "10.0.0.0/8" }] } },
      "MessageBody",
      "$.client.ip[0].cidr",
      "client.ip",
      false,
    ],
    [
      "anything-but wildcard",
      { name: [{ "anything-but": { wildcard: "t*" } }] },
      "MessageAttributes",
      "$.name[0].anything-but.wildcard",
      "name",
      false,
    ],
    ["$or in MessageBody scope", { $or: [{ a: ["x"] }, { b: ["y"] }] }, "MessageBody", "$.$or", "", true],
    [
      "exists false on attributes",
      { store: [{ exists: false }] },
      "MessageAttributes",
      "$.store[0].exists",
      "store",
      false,
    ],
    [
      "nested $or in MessageBody scope",
      { customer: { $or: [{ a: ["x"] }, { b: ["y"] }] } },
      "MessageBody",
      "$.customer.$or",
      "customer",
      true,
    ],
  ])("notes moto's handling of %s", (_label, policy, scope, path, keyPath, breaks) => {
    const notes = endpointDifferences("moto", policy, scope as "MessageAttributes" | "MessageBody");
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ path, keyPath, breaksDeliveries: breaks });
  });

  it("does not take a key that is merely named like an operator for one", () => {
    expect(endpointDifferences("moto", { cidr: ["x"], wildcard: ["y"] }, "MessageAttributes")).toEqual([]);
  });

  it("leaves alone what moto handles like AWS", () => {
    expect(
      endpointDifferences(
        "moto",
        { t: [{ "equals-ignore-case": "order" }], $or: [{ a: ["x"] }, { b: ["y"] }] },
        "MessageAttributes",
      ),
    ).toEqual([]);
    expect(endpointDifferences("moto", { t: [{ exists: true }] }, "MessageAttributes")).toEqual([]);
    expect(endpointDifferences("moto", { t: [{ exists: false }] }, "MessageBody")).toEqual([]);
  });
});
