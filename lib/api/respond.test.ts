import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, errorStatus } from "../domain/app-error";
import { asAppError, errorResponse, MAX_JSON_BODY_BYTES, parseJsonBody } from "./respond";

const schema = z.object({ name: z.string().min(1), limits: z.object({ rate: z.number().int().positive() }) });

function post(body: string) {
  return new Request("http://127.0.0.1/api/x", { method: "POST", body });
}

describe("parseJsonBody", () => {
  it("refuses a body declared larger than the cap with 413, before reading it", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled++;
          controller.enqueue(new TextEncoder().encode("{}"));
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const req = new Request("http://127.0.0.1/api/x", {
      method: "POST",
      body,
      headers: { "content-length": String(MAX_JSON_BODY_BYTES + 1) },
      duplex: "half",
    } as RequestInit);
    const err = (await parseJsonBody(req, schema).catch((e: unknown) => e)) as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.status).toBe(413);
    expect(err.code).toBe("payload_too_large");
    expect(pulled).toBe(0);
  });

  it("refuses a body with no length that grows past the cap while streaming, and stops reading", async () => {
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const req = new Request("http://127.0.0.1/api/x", { method: "POST", body, duplex: "half" } as RequestInit);
    const err = (await parseJsonBody(req, schema).catch((e: unknown) => e)) as AppError;
    expect(err.status).toBe(413);
    expect(err.message).toContain(String(MAX_JSON_BODY_BYTES));
    expect(sent).toBeLessThan(MAX_JSON_BODY_BYTES + 4 * chunk.byteLength);
  });

  it("accepts a body just under the cap", async () => {
    const name = "x".repeat(MAX_JSON_BODY_BYTES - 100);
    await expect(parseJsonBody(post(JSON.stringify({ name, limits: { rate: 1 } })), schema)).resolves.toMatchObject({
      limits: { rate: 1 },
    });
  });

  it("returns the parsed value", async () => {
    await expect(parseJsonBody(post('{"name":"a","limits":{"rate":5}}'), schema)).resolves.toEqual({
      name: "a",
      limits: { rate: 5 },
    });
  });

  it("rejects a body that is not JSON with 400", async () => {
    const err = await parseJsonBody(post("{nope"), schema).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(400);
  });

  it("rejects a schema failure with 422 naming each field path", async () => {
    const err = (await parseJsonBody(post('{"name":"","limits":{"rate":-1}}'), schema).catch(
      (e: unknown) => e,
    )) as AppError;
    expect(err.status).toBe(422);
    expect(err.issues?.map((i) => i.path).sort()).toEqual(["limits.rate", "name"]);
    expect(err.message).toContain("limits.rate");
  });
});

describe("errorResponse", () => {
  it.each(Object.entries(errorStatus))("answers %s with HTTP %i and the standard body", async (code, status) => {
    const res = errorResponse(new AppError(code as keyof typeof errorStatus, "message text"));
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error: { code, message: "message text" } });
  });

  it("hides an unexpected error's details from the client", async () => {
    const original = console.error;
    console.error = () => {};
    try {
      const res = errorResponse(new Error("secret stack detail at /srv/app.js:1"));
      expect(res.status).toBe(500);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("internal");
      expect(body.error.message).not.toContain("secret");
    } finally {
      console.error = original;
    }
  });

  it("turns a ZodError into a validation error", () => {
    const result = schema.safeParse({});
    expect(result.success).toBe(false);
    expect(asAppError(result.error).code).toBe("validation");
  });
});
