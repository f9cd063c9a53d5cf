import { describe, expect, it } from "vitest";
import { callAwsPages } from "./call";
import type { AwsClients } from "./clients";

/** Only the environment key is read, and only when a call fails. */
const clients = { environment: "unit" } as AwsClients;

/** Three pages of two items; each page names the next by token. */
const pages: Record<string, { Items: string[]; Next?: string }> = {
  first: { Items: ["a", "b"], Next: "t2" },
  t2: { Items: ["c", "d"], Next: "t3" },
  t3: { Items: ["e"] },
};

describe("callAwsPages", () => {
  it("asks for each next page with the token the previous one returned, until a page returns none", async () => {
    const asked: Array<string | undefined> = [];
    const items = await callAwsPages(clients, "sqs", "ListQueues", {
      request: async (token) => {
        asked.push(token);
        return pages[token ?? "first"]!;
      },
      read: (page) => ({ items: page.Items, next: page.Next }),
    });
    expect(items).toEqual(["a", "b", "c", "d", "e"]);
    expect(asked).toEqual([undefined, "t2", "t3"]);
  });

  it("stops after maxPages pages, and a page without items adds none", async () => {
    const asked: Array<string | undefined> = [];
    const items = await callAwsPages(clients, "xray", "GetServiceGraph", {
      request: async (token) => {
        asked.push(token);
        return token ? pages[token]! : { Next: "t2" };
      },
      read: (page) => ({ items: "Items" in page ? page.Items : undefined, next: page.Next }),
      maxPages: 2,
    });
    expect(items).toEqual(["c", "d"]);
    expect(asked).toEqual([undefined, "t2"]);
  });
});
