import { describe, expect, it } from "vitest";
import { isSameOrigin } from "./same-origin";

const post = (headers: Record<string, string>) =>
  new Request("http://10.0.0.5:3000/api/x", { method: "POST", headers });

describe("isSameOrigin", () => {
  it("compares the Origin with the configured console URL when there is one, whatever the Host headers say", () => {
    const url = "https://fanout.example.com";
    expect(isSameOrigin(post({ origin: "https://fanout.example.com", host: "10.0.0.5:3000" }), url)).toBe(true);
    expect(
      isSameOrigin(
        post({ origin: "https://evil.example", host: "evil.example", "x-forwarded-host": "evil.example" }),
        url,
      ),
    ).toBe(false);
    // Same host, other scheme or port: another origin.
    expect(isSameOrigin(post({ origin: "http://fanout.example.com" }), url)).toBe(false);
    expect(isSameOrigin(post({ origin: "https://fanout.example.com:8443" }), url)).toBe(false);
  });

  it("without a console URL, compares the Origin's host with the request's", () => {
    expect(isSameOrigin(post({ origin: "http://10.0.0.5:3000", host: "10.0.0.5:3000" }))).toBe(true);
    expect(isSameOrigin(post({ origin: "http://evil.example", host: "10.0.0.5:3000" }))).toBe(false);
  });

  it("without an Origin, needs Sec-Fetch-Site: same-origin; a malformed Origin is refused", () => {
    expect(isSameOrigin(post({ "sec-fetch-site": "same-origin" }), "https://fanout.example.com")).toBe(true);
    expect(isSameOrigin(post({ "sec-fetch-site": "cross-site" }))).toBe(false);
    expect(isSameOrigin(post({ origin: "null", host: "10.0.0.5:3000" }))).toBe(false);
  });
});
