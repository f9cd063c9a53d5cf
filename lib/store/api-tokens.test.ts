import { describe, expect, it } from "vitest";
import {
  findApiToken,
  insertApiToken,
  listApiTokens,
  noteApiTokenUse,
  revokeApiToken,
  type NewApiToken,
} from "./api-tokens";
import { STORE_BACKENDS, temporaryStore } from "../../test/store-fixtures";

const token = (id: string, owner: string, createdAt: number): NewApiToken => ({
  id,
  name: `token ${id}`,
  kind: "personal",
  owner,
  createdBy: owner,
  role: "operator",
  roles: { production: "viewer" },
  secretHash: "ab".repeat(32),
  createdAt,
  expiresAt: createdAt + 86_400_000,
});

describe.each(STORE_BACKENDS)("API tokens (%s)", (backend) => {
  it("keeps tokens by owner, revokes each once, and notes a use at most once a minute", async () => {
    const db = await temporaryStore(backend, "fanout-tokens-");
    await insertApiToken(db, token("aaaaaaaaaaaaaaaa", "otto", 1_000));
    await insertApiToken(db, token("bbbbbbbbbbbbbbbb", "vera", 2_000));
    await insertApiToken(db, token("cccccccccccccccc", "otto", 3_000));
    expect((await listApiTokens(db, { owner: "otto" })).map((t) => t.id)).toEqual([
      "cccccccccccccccc",
      "aaaaaaaaaaaaaaaa",
    ]);
    expect(await listApiTokens(db)).toHaveLength(3);
    expect(await findApiToken(db, "aaaaaaaaaaaaaaaa")).toMatchObject({
      owner: "otto",
      role: "operator",
      roles: { production: "viewer" },
      revokedAt: null,
      lastUsedAt: null,
    });

    await noteApiTokenUse(db, "aaaaaaaaaaaaaaaa", 10_000, "203.0.113.7");
    await noteApiTokenUse(db, "aaaaaaaaaaaaaaaa", 69_999, "198.51.100.1");
    expect(await findApiToken(db, "aaaaaaaaaaaaaaaa")).toMatchObject({
      lastUsedAt: 10_000,
      lastUsedAddress: "203.0.113.7",
    });
    await noteApiTokenUse(db, "aaaaaaaaaaaaaaaa", 70_000, undefined);
    expect(await findApiToken(db, "aaaaaaaaaaaaaaaa")).toMatchObject({ lastUsedAt: 70_000, lastUsedAddress: null });

    expect(await revokeApiToken(db, "aaaaaaaaaaaaaaaa", "admin", 80_000)).toBe(true);
    expect(await revokeApiToken(db, "aaaaaaaaaaaaaaaa", "otto", 90_000)).toBe(false);
    expect(await findApiToken(db, "aaaaaaaaaaaaaaaa")).toMatchObject({ revokedAt: 80_000, revokedBy: "admin" });
    expect(await findApiToken(db, "zzzzzzzzzzzzzzzz")).toBeUndefined();
    await db.destroy();
  });
});
