import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/auth/[...nextauth]/route";

/** The next-auth endpoints are reached without a session: their bodies are capped before next-auth reads them. */
const context = { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) };

describe("POST /api/auth/*", () => {
  it("refuses a body larger than a sign-in form with 413, by its declared length or while reading it", async () => {
    const big = "username=" + "a".repeat(100_000) + "&password=x";
    const declared = new NextRequest("http://127.0.0.1:3000/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(big.length) },
      body: big,
    });
    const res = await POST(declared, context);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "payload_too_large" } });

    const chunked = new NextRequest("http://127.0.0.1:3000/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new Blob([big]).stream(),
      duplex: "half",
    } as ConstructorParameters<typeof NextRequest>[1]);
    expect((await POST(chunked, context)).status).toBe(413);
  });
});
