import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "./audit";
import {
  auditApiFilter,
  auditPageFilterFrom,
  auditPageParams,
  auditQueryString,
  describeAuditFilter,
  EVERY_ENVIRONMENT,
  hasAuditFilter,
} from "./audit-filter";
import { hrefWithParams } from "./search-params";

const fromQuery = (query: string) => auditPageFilterFrom(new URLSearchParams(query));

describe("the audit page's filters in its address", () => {
  it("reads every filter, and leaves out what it does not know", () => {
    expect(
      fromQuery("action=consumer.pause,nope,auth.sign-in&actor=ot&target=q&outcome=failure&range=24h&view=x"),
    ).toEqual({
      actions: ["consumer.pause", "auth.sign-in"],
      actor: "ot",
      target: "q",
      outcome: "failure",
      range: "24h",
    });
    expect(fromQuery("outcome=ok&range=2h&from=soon")).toEqual({ actions: [] });
    expect(fromQuery("from=2026-03-01T10:00:00.000Z")).toEqual({ actions: [], from: "2026-03-01T10:00:00.000Z" });
  });

  it("lets a preset win over a custom range", () => {
    expect(fromQuery("range=1h&from=2026-03-01T10:00:00.000Z")).toEqual({ actions: [], range: "1h" });
  });

  it("writes a filter back as the same address, replacing the old one whole", () => {
    const filter = { actions: [...AUDIT_ACTIONS.slice(0, 2)], actor: "a b", to: "2026-03-01T10:00:00.000Z" };
    const href = hrefWithParams("/audit", new URLSearchParams("outcome=failure&range=7d"), auditPageParams(filter));
    expect(fromQuery(href.slice(href.indexOf("?") + 1))).toEqual(filter);
    expect(hrefWithParams("/audit", new URLSearchParams(href.split("?")[1]), auditPageParams({ actions: [] }))).toBe(
      "/audit",
    );
  });

  it("knows when nothing is filtered", () => {
    expect(hasAuditFilter({ actions: [] })).toBe(false);
    expect(hasAuditFilter({ actions: [], range: "1h" })).toBe(true);
    expect(hasAuditFilter({ actions: ["queue.read"] })).toBe(true);
  });
});

describe("where it was done, in the address", () => {
  const staging = { environment: "staging", region: "eu-west-1" };

  it("reads an environment, a region and an account, and leaves out malformed ones", () => {
    expect(fromQuery("environment=production&region=us-west-2&account=111111111111")).toEqual({
      actions: [],
      environment: "production",
      region: "us-west-2",
      account: "111111111111",
    });
    expect(fromQuery("environment=Prod!&region=west&account=1111")).toEqual({ actions: [] });
  });

  it("starts a page opened under a scope at its environment, which needs no parameter", () => {
    const underStaging = (query: string) => auditPageFilterFrom(new URLSearchParams(query), staging);
    expect(underStaging("")).toEqual({ actions: [], environment: "staging" });
    expect(underStaging("environment=production")).toEqual({ actions: [], environment: "production" });
    expect(auditPageParams({ actions: [], environment: "staging" }, staging).environment).toBeUndefined();
    expect(auditPageParams({ actions: [], environment: "production" }, staging).environment).toBe("production");
  });

  it("lets a page under a scope show every environment, and keeps that choice in its address", () => {
    const everywhere = auditPageParams({ actions: [] }, staging);
    expect(everywhere.environment).toBe(EVERY_ENVIRONMENT);
    expect(auditPageFilterFrom(new URLSearchParams(`environment=${EVERY_ENVIRONMENT}`), staging)).toEqual({
      actions: [],
    });
    // Unscoped, every environment is simply no parameter.
    expect(auditPageParams({ actions: [] }).environment).toBeUndefined();
  });

  it("asks the API for exactly those, and says them in words", () => {
    const filter = { actions: [], environment: "staging", region: "eu-west-1", account: "222222222222" };
    expect(auditQueryString(auditApiFilter(filter, 0))).toBe(
      "environment=staging&region=eu-west-1&account=222222222222",
    );
    expect(hasAuditFilter({ actions: [], environment: "staging" })).toBe(true);
    expect(describeAuditFilter(filter, (iso) => iso)).toEqual([
      "environment staging",
      "region eu-west-1",
      "account 222222222222",
    ]);
  });
});

describe("what the page asks the API for", () => {
  const now = Date.parse("2026-03-01T12:00:00.000Z");

  it("turns a preset into its start at the time of asking", () => {
    expect(auditApiFilter({ actions: [], range: "1h" }, now)).toEqual({ from: "2026-03-01T11:00:00.000Z" });
    expect(auditApiFilter({ actions: [], range: "7d" }, now).from).toBe("2026-02-22T12:00:00.000Z");
  });

  it("passes a custom range, the actions and the text filters", () => {
    const filter = { actions: ["queue.read" as const], actor: "o", from: "2026-03-01T10:00:00.000Z" };
    expect(auditApiFilter(filter, now)).toMatchObject({ action: ["queue.read"], actor: "o", from: filter.from });
    expect(auditQueryString({ ...auditApiFilter(filter, now), format: "jsonl" })).toBe(
      "actor=o&action=queue.read&from=2026-03-01T10%3A00%3A00.000Z&format=jsonl",
    );
    expect(auditQueryString(auditApiFilter({ actions: ["queue.read", "auth.sign-in"] }, now))).toBe(
      "action=queue.read%2Cauth.sign-in",
    );
  });
});

describe("describeAuditFilter", () => {
  it("names every filter in words, for an empty result", () => {
    expect(
      describeAuditFilter(
        {
          actions: ["consumer.pause", "consumer.resume"],
          actor: "ot",
          target: "orders",
          outcome: "failure",
          range: "1h",
        },
        (iso) => iso,
      ),
    ).toEqual([
      "action consumer.pause or consumer.resume",
      "actor contains “ot”",
      "target contains “orders”",
      "outcome failure",
      "last 1 h",
    ]);
    expect(describeAuditFilter({ actions: [], from: "a", to: "b" }, (iso) => `<${iso}>`)).toEqual([
      "from <a>",
      "until <b>",
    ]);
  });
});
