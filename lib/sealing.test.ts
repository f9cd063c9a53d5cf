import { describe, expect, it } from "vitest";
import { seal, sealingKey, unseal, UnsealError } from "./sealing";

describe("sealing", () => {
  const key = sealingKey("a-server-secret-of-at-least-32-characters", "dead-letter leases");

  it("opens what it sealed, and never shows the text or repeats a sealed value", () => {
    const handle = "AQEB-receipt-handle/with+symbols=";
    const a = seal(key, handle, "lease-1/m-1");
    const b = seal(key, handle, "lease-1/m-1");
    expect(a).not.toBe(b);
    expect(a).not.toContain("receipt");
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(unseal(key, a, "lease-1/m-1")).toBe(handle);
    expect(unseal(key, seal(key, "ünïcödé ✓", ""), "")).toBe("ünïcödé ✓");
  });

  it("refuses another secret, another purpose, another place, and any changed byte", () => {
    const sealed = seal(key, "receipt-handle", "lease-1/m-1");
    expect(() => unseal(key, sealed, "lease-2/m-1")).toThrow(UnsealError);
    expect(() =>
      unseal(sealingKey("another-server-secret-of-32-characters!", "dead-letter leases"), sealed, "lease-1/m-1"),
    ).toThrow(UnsealError);
    expect(() =>
      unseal(sealingKey("a-server-secret-of-at-least-32-characters", "other purpose"), sealed, "lease-1/m-1"),
    ).toThrow(UnsealError);
    const bytes = Buffer.from(sealed.slice(3), "base64url");
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    expect(() => unseal(key, `v1.${bytes.toString("base64url")}`, "lease-1/m-1")).toThrow(UnsealError);
    expect(() => unseal(key, "v0.abc", "")).toThrow(UnsealError);
    expect(() => unseal(key, "v1.abc", "")).toThrow(UnsealError);
  });
});
