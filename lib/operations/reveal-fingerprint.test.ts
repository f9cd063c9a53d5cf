import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { revealFingerprint } from "./dead-letter-browse";

describe("revealFingerprint", () => {
  const value = "cus-12345678";

  it("is a keyed HMAC, not a bare hash anyone can recompute from a guess", () => {
    const print = revealFingerprint("server key", value);
    expect(print).toMatch(/^hmac-sha256:[0-9a-f]{16}$/);
    expect(print).not.toContain(createHash("sha256").update(value).digest("hex").slice(0, 16));
    expect(print).toBe(`hmac-sha256:${createHmac("sha256", "server key").update(value).digest("hex").slice(0, 16)}`);
  });

  it("tells values apart under one key, and differs between keys", () => {
    expect(revealFingerprint("k", value)).toBe(revealFingerprint("k", value));
    expect(revealFingerprint("k", value)).not.toBe(revealFingerprint("k", "cus-87654321"));
    expect(revealFingerprint("k", value)).not.toBe(revealFingerprint("other key", value));
  });
});
