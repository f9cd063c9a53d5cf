import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../domain/app-error";
import { checkQueueName, decodeParam, pathParam, queryOf, queueParams } from "./params";

describe("path parameters and query strings", () => {
  it("decodes a path parameter, keeping a malformed escape as sent", () => {
    expect(decodeParam("arn%3Aaws%3Asns")).toBe("arn:aws:sns");
    expect(decodeParam("100%")).toBe("100%");
    expect(pathParam.parse("1-5f0a%2Dx")).toBe("1-5f0a-x");
  });

  it("refuses what SQS could not name a queue, naming the field", () => {
    expect(checkQueueName("orders-dlq.fifo")).toBe("orders-dlq.fifo");
    const err = (() => {
      try {
        queueParams.parse({ name: "..%2F..%2Fadmin" });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "validation", issues: [{ path: "name", message: "not a queue name" }] });
    expect((err as AppError).message).toMatch(/^name: /);
  });

  it("reads a query string with empty values dropped, for the route's schema", () => {
    expect(queryOf("http://x/api/traces?window=1h&service=&status=ok")).toEqual({ window: "1h", status: "ok" });
    const schema = z.object({ max: z.coerce.number().int().default(100) });
    expect(schema.parse(queryOf("http://x/api/queues/q/messages?max="))).toEqual({ max: 100 });
  });

  it("reads a parameter given more than once as an array, which a schema for one value refuses", () => {
    expect(queryOf("http://x/api/audit?action=a&action=&action=b&actor=c")).toEqual({ action: ["a", "b"], actor: "c" });
    expect(z.object({ window: z.string() }).safeParse(queryOf("http://x/?window=1h&window=6h")).success).toBe(false);
  });
});
