import { describe, expect, it } from "vitest";
import { clientAddressFrom } from "./client-address";

describe("clientAddressFrom", () => {
  it("ignores X-Forwarded-For when no proxy is trusted: the client wrote all of it", () => {
    expect(clientAddressFrom("192.0.2.208", 0)).toBeUndefined();
    expect(clientAddressFrom("192.0.2.208, 10.0.0.1", 0)).toBeUndefined();
  });

  it("takes the entry as many hops from the right as there are trusted proxies", () => {
    // The client sent "192.0.2.208"; the one proxy appended the address it really saw.
    expect(clientAddressFrom("192.0.2.208, 203.0.113.9", 1)).toBe("203.0.113.9");
    // Two proxies: the outer one appended the client, the inner one the outer's address.
    expect(clientAddressFrom("192.0.2.208, 203.0.113.9, 10.0.0.5", 2)).toBe("203.0.113.9");
    expect(clientAddressFrom(["192.0.2.208", "203.0.113.9, 10.0.0.5"], 2)).toBe("203.0.113.9");
  });

  it("gives no address when the header has fewer entries than trusted proxies, or a bogus one", () => {
    expect(clientAddressFrom("203.0.113.9", 2)).toBeUndefined();
    expect(clientAddressFrom(undefined, 1)).toBeUndefined();
    expect(clientAddressFrom("1.2.3.4, ", 1)).toBeUndefined();
    expect(clientAddressFrom("x".repeat(1000), 1)).toBeUndefined();
  });
});
