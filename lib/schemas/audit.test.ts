import { describe, expect, it } from "vitest";
import { queryOf } from "../api/params";
import { asAppError } from "../api/respond";
import { auditQuerySchema } from "./audit";

/** What GET /api/audit makes of a query string: the wrapper's queryOf, then the route's schema. */
const parse = (query: string) => auditQuerySchema.parse(queryOf(`http://console/api/audit?${query}`));

const refusal = (query: string) => {
  try {
    parse(query);
  } catch (err) {
    const error = asAppError(err);
    return { status: error.status, paths: error.issues?.map((i) => i.path), message: error.message };
  }
  throw new Error(`accepted: ${query}`);
};

describe("auditQuerySchema", () => {
  it("takes actions repeated, as a comma list, or both", () => {
    expect(parse("action=consumer.pause&action=auth.sign-in,dead-letters.purge").action).toEqual([
      "consumer.pause",
      "auth.sign-in",
      "dead-letters.purge",
    ]);
    expect(parse("action=queue.read").action).toEqual(["queue.read"]);
    expect(parse("actor=ot").action).toBeUndefined();
  });

  it("refuses an action the console does not write, naming the field and the name", () => {
    expect(refusal("action=queue.read,queue.reed")).toMatchObject({ status: 422, paths: ["action"] });
    expect(refusal("action=filter-policy").message).toContain('"filter-policy"');
  });

  it("keeps actor and target as given, for a match by part", () => {
    expect(parse("actor=Ott&target=100%25_x")).toMatchObject({ actor: "Ott", target: "100%_x" });
  });

  it("takes ISO times as from and to, with an offset, and stores them as UTC", () => {
    expect(parse("from=2026-03-01T12:00:00%2B02:00&to=2026-03-01T11:00:00Z")).toMatchObject({
      from: "2026-03-01T10:00:00.000Z",
      to: "2026-03-01T11:00:00.000Z",
    });
    expect(refusal("from=yesterday")).toMatchObject({ status: 422, paths: ["from"] });
    expect(refusal("to=2026-03-01")).toMatchObject({ status: 422, paths: ["to"] });
  });

  it("refuses a from later than to, naming from", () => {
    expect(refusal("from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z")).toMatchObject({
      status: 422,
      paths: ["from"],
    });
    expect(parse("from=2026-03-01T00:00:00Z&to=2026-03-01T00:00:00Z").from).toBe("2026-03-01T00:00:00.000Z");
  });

  it("takes the outcomes audit rows have, and keeps limit and format", () => {
    expect(parse("outcome=pending&limit=5&format=jsonl")).toMatchObject({
      outcome: "pending",
      limit: 5,
      format: "jsonl",
    });
    expect(refusal("outcome=ok")).toMatchObject({ status: 422, paths: ["outcome"] });
    expect(refusal("limit=0")).toMatchObject({ status: 422, paths: ["limit"] });
  });

  it("takes an environment, a region and an account to match exactly, each checked for its form", () => {
    expect(parse("environment=staging&region=eu-west-1&account=222222222222")).toMatchObject({
      environment: "staging",
      region: "eu-west-1",
      account: "222222222222",
    });
    expect(refusal("environment=Staging!")).toMatchObject({ status: 422, paths: ["environment"] });
    expect(refusal("region=europe")).toMatchObject({ status: 422, paths: ["region"] });
    expect(refusal("account=2222")).toMatchObject({ status: 422, paths: ["account"] });
  });
});
