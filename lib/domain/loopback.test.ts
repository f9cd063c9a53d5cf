import { describe, expect, it } from "vitest";
import { isLoopbackUrl } from "./loopback";

describe("isLoopbackUrl", () => {
  it.each([
    ["http://127.0.0.1:4566", true],
    ["http://127.10.20.30", true],
    ["http://localhost:4566", true],
    ["http://moto.localhost:1", true],
    ["http://[::1]:4566", true],
    ["http://2130706433", true], // 127.0.0.1 in decimal: URL normalises it
    ["http://127.0.0.1.example.com", false],
    ["http://localhost.example.com", false],
    ["http://10.0.0.1", false],
    ["https://sqs.us-east-1.amazonaws.com", false],
    ["http://[::ffff:7f00:1]", false],
    ["not a url", false],
  ])("%s → %s", (url, expected) => {
    expect(isLoopbackUrl(url)).toBe(expected);
  });
});
