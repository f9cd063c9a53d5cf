import { describe, expect, it } from "vitest";
import { ipInRange, parseCidr, parseIpAddress } from "./cidr";
import { normalizeNumber, parseWildcard, wildcardMatches } from "./matchers";

describe("IP addresses", () => {
  it.each<[string, number[] | undefined]>([
    ["10.0.0.1", [0x0a000001]],
    ["255.255.255.255", [0xffffffff]],
    ["010.0.0.1", [0x0a000001]],
    ["10.0.0.256", undefined],
    ["10.0.0", undefined],
    ["::", [0, 0, 0, 0]],
    ["::1", [0, 0, 0, 1]],
    ["2001:db8::", [0x20010db8, 0, 0, 0]],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", [0x20010db8, 0, 0, 1]],
    ["1:2:3:4:5:6:7::", [0x00010002, 0x00030004, 0x00050006, 0x00070000]],
    ["1::2::3", undefined],
    ["1:2:3:4:5:6:7:8:9", undefined],
    ["12345::", undefined],
    [":::", undefined],
    ["fe80::1%eth0", undefined],
    ["host.example", undefined],
  ])("%s", (text, words) => {
    expect(parseIpAddress(text)?.words).toEqual(words);
  });

  it("reads an IPv4-mapped IPv6 address as IPv4, as Java's resolver does", () => {
    expect(parseIpAddress("::ffff:a00:1")).toEqual({ version: 4, words: [0x0a000001] });
  });

  it("masks the block's address and tests membership word by word", () => {
    const block = parseCidr("2001:db8:1234:1a00::5/56");
    expect(block.ok && block.range).toEqual({
      version: 6,
      network: [0x20010db8, 0x12341a00, 0, 0],
      mask: [0xffffffff, 0xffffff00, 0, 0],
    });
    if (!block.ok) return;
    expect(ipInRange("2001:db8:1234:1aff:ffff::", block.range)).toBe(true);
    expect(ipInRange("2001:db8:1234:1b00::", block.range)).toBe(false);
  });

  it("accepts a signed mask as Java's integer parsing does", () => {
    expect(parseCidr("10.0.0.0/+8").ok).toBe(true);
  });
});

describe("wildcards", () => {
  it.each<[string, string[]]>([
    ["*", ["", ""]],
    ["a*b*c", ["a", "b", "c"]],
    ["\\*", ["*"]],
    ["\\\\*", ["\\", ""]],
    ["a\\**", ["a*", ""]],
  ])("%j reads as %j", (pattern, segments) => {
    const parsed = parseWildcard(pattern);
    expect(parsed.ok && parsed.segments).toEqual(segments);
  });

  it.each<[string[], string, boolean]>([
    [["", "ball"], "ball", true],
    [["", "ball"], "all", false],
    [["a", "", "c"], "ac", true],
    [["a", "b", "b"], "abb", true],
    [["a", "b", "b"], "ab", false],
    [["x", "y", "z"], "x-y-y-z", true],
  ])("%j matches %j: %s", (segments, value, expected) => {
    expect(wildcardMatches(segments, value)).toBe(expected);
  });
});

describe("number comparison", () => {
  it("rounds to six decimal places within ±5e9 and compares larger numbers as they are", () => {
    expect(normalizeNumber(100.1234567)).toBe(normalizeNumber(100.123456789));
    expect(normalizeNumber(100.1234561)).not.toBe(normalizeNumber(100.123456789));
    expect(normalizeNumber(-0.0000004)).toBe(0);
    expect(normalizeNumber(6e9 + 0.5)).toBe(6e9 + 0.5);
  });
});
