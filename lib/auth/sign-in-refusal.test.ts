import { afterEach, describe, expect, it, vi } from "vitest";
import { NO_CONSOLE_ROLE, refusalMessage, refusalPage } from "./sign-in-refusal";

const config = { authSecret: "a-session-secret-of-at-least-32-characters", dataDir: "/nonexistent" };
const sealedOf = (page: string) => new URL(page, "http://console").searchParams.get("refusal")!;

describe("sign-in refusal pages", () => {
  afterEach(() => vi.useRealTimers());

  it("carries its message sealed to the login page, readable there and nowhere in the URL", () => {
    const page = refusalPage("none of your groups (finance) is mapped", config);
    const url = new URL(page, "http://console");
    expect(url.pathname).toBe("/login");
    expect(url.searchParams.get("error")).toBe(NO_CONSOLE_ROLE);
    expect(page).not.toContain("finance");
    expect(refusalMessage(sealedOf(page), config)).toBe("none of your groups (finance) is mapped");
  });

  it("reads nothing from a crafted, changed or foreign value, or none", () => {
    const sealed = sealedOf(refusalPage("the message", config));
    const changed = `${sealed.slice(0, -2)}${sealed.endsWith("AA") ? "BB" : "AA"}`;
    const other = { ...config, authSecret: "another-session-secret-of-32-characters" };
    for (const value of [changed, "v1.bm90IHNlYWxlZA", "Buy now at example.com", undefined])
      expect(refusalMessage(value, config)).toBeUndefined();
    expect(refusalMessage(sealed, other)).toBeUndefined();
  });

  it("is readable for ten minutes", () => {
    vi.useFakeTimers({ now: new Date("2025-01-01T10:00:00Z") });
    const sealed = sealedOf(refusalPage("the message", config));
    vi.setSystemTime(new Date("2025-01-01T10:09:59Z"));
    expect(refusalMessage(sealed, config)).toBe("the message");
    vi.setSystemTime(new Date("2025-01-01T10:10:01Z"));
    expect(refusalMessage(sealed, config)).toBeUndefined();
  });
});
