import type { IpRange } from "./types";

/**
 * IP address matching ("String value matching" → "IP address matching" in the SNS Developer Guide):
 * `{"cidr": "10.0.0.0/24"}` matches a string value holding an IPv4 or IPv6 address inside the block.
 * The rejection reasons are the ones AWS returns for malformed blocks.
 */

// Only text shaped like an address literal is read as one; anything else is "nonstandard".
const ipv4Shape = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const ipv6Shape = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;
const hexGroup = /^[0-9a-fA-F]{1,4}$/;

export interface IpAddress {
  version: 4 | 6;
  /** 1 word for IPv4, 4 words for IPv6, each an unsigned 32-bit integer. */
  words: number[];
}

function parseIpv4(text: string): IpAddress | undefined {
  const parts = text.split(".");
  let word = 0;
  for (const part of parts) {
    const octet = Number(part);
    if (!Number.isInteger(octet) || octet > 255) return undefined;
    word = word * 256 + octet;
  }
  return { version: 4, words: [word] };
}

function parseIpv6(text: string): IpAddress | undefined {
  if (text.includes(":::")) return undefined;
  const gap = text.indexOf("::");
  if (gap !== -1 && text.indexOf("::", gap + 1) !== -1) return undefined;
  const split = (s: string) => (s === "" ? [] : s.split(":"));
  const head = split(gap === -1 ? text : text.slice(0, gap));
  const tail = gap === -1 ? [] : split(text.slice(gap + 2));
  if (![...head, ...tail].every((g) => hexGroup.test(g))) return undefined;
  const given = head.length + tail.length;
  if (gap === -1 ? given !== 8 : given > 7) return undefined;
  const groups = [...head, ...Array<string>(8 - given).fill("0"), ...tail].map((g) => parseInt(g, 16));
  const g = (i: number) => groups[i] ?? 0;
  // An IPv4-mapped address (::ffff:a.b.c.d written in hex) is an IPv4 address, as Java's resolver reads it.
  if (g(0) === 0 && g(1) === 0 && g(2) === 0 && g(3) === 0 && g(4) === 0 && g(5) === 0xffff) {
    return { version: 4, words: [g(6) * 65536 + g(7)] };
  }
  return { version: 6, words: [0, 1, 2, 3].map((i) => g(2 * i) * 65536 + g(2 * i + 1)) };
}

/** Reads an IPv4 or IPv6 address literal; undefined for anything else (hostnames, out-of-range octets, zone ids). */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (ipv4Shape.test(text)) return parseIpv4(text);
  if (ipv6Shape.test(text)) return parseIpv6(text);
  return undefined;
}

function maskWord(bits: number): number {
  if (bits <= 0) return 0;
  if (bits >= 32) return 0xffffffff;
  return (0xffffffff << (32 - bits)) >>> 0;
}

/** Parses a CIDR block, or gives AWS's reason for rejecting it. */
export function parseCidr(text: string): { ok: true; range: IpRange } | { ok: false; reason: string } {
  // Split as Java's String.split does: trailing empty parts are dropped, so "10.0.0.0/" has one part.
  const parts = text.split("/");
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  if (parts.length !== 2) return { ok: false, reason: "Malformed CIDR, one '/' required" };
  const [ipText = "", maskText = ""] = parts;
  // The mask is read before the address: "bad-/64filter" is a mask error, "bad-filter/64" an address error.
  if (!/^[+-]?[0-9]+$/.test(maskText) || Math.abs(Number(maskText)) > 2147483647) {
    return { ok: false, reason: "Malformed CIDR, mask bits must be an integer" };
  }
  const bits = Number(maskText);
  if (bits < 0) return { ok: false, reason: "Malformed CIDR, mask bits must not be negative" };
  if (!ipv4Shape.test(ipText) && !ipv6Shape.test(ipText))
    return { ok: false, reason: `Nonstandard IP address: ${ipText}` };
  const ip = parseIpAddress(ipText);
  if (!ip) return { ok: false, reason: `Invalid IP address: ${ipText}` };
  if (ip.version === 4 && bits > 31) return { ok: false, reason: "IPv4 mask bits must be < 32" };
  if (ip.version === 6 && bits > 127) return { ok: false, reason: "IPv6 mask bits must be < 128" };
  const mask = ip.words.map((_, i) => maskWord(bits - 32 * i));
  const network = ip.words.map((w, i) => (w & (mask[i] ?? 0)) >>> 0);
  return { ok: true, range: { version: ip.version, network, mask } };
}

const notIpv4 = -1;
const invalidIpv4 = -2;

/**
 * parseIpAddress for text shaped as IPv4 (ipv4Shape), without cutting it up: the address's word,
 * invalidIpv4 for an octet above 255, notIpv4 for text of another shape.
 */
function ipv4Word(text: string): number {
  let word = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      octet = octet * 10 + (c - 0x30);
      digits++;
    } else if (c === 0x2e && digits > 0 && dots < 3) {
      if (octet > 255) return invalidIpv4;
      word = word * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return notIpv4;
    }
  }
  if (dots !== 3 || digits === 0) return notIpv4;
  return octet > 255 ? invalidIpv4 : word * 256 + octet;
}

/** Whether a message value is an address inside the block (an address of the other IP version never is). */
export function ipInRange(value: string, range: IpRange): boolean {
  const word = ipv4Word(value);
  if (word === invalidIpv4) return false;
  if (word !== notIpv4) return range.version === 4 && (word & (range.mask[0] ?? 0)) >>> 0 === range.network[0];
  const ip = parseIpAddress(value);
  if (!ip || ip.version !== range.version) return false;
  for (let i = 0; i < ip.words.length; i++) {
    if (((ip.words[i] ?? 0) & (range.mask[i] ?? 0)) >>> 0 !== range.network[i]) return false;
  }
  return true;
}
