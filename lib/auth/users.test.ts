import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { environmentsValue } from "../../test/environment-fixtures";
import { loadConfig } from "../env";
import { decoyHashFor, findUser, verifyCredentials } from "./users";

const hash = bcrypt.hashSync("correct horse", 4);
const local = { AWS_ENDPOINT_URL: "http://127.0.0.1:4566" };
const remote = { NEXTAUTH_SECRET: "s".repeat(32) };

function withUsersFile(env: Record<string, string>, users: unknown) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "fanout-users-"));
  writeFileSync(path.join(dataDir, "users.json"), JSON.stringify(users));
  return { config: loadConfig({ ...env, FANOUT_DATA_DIR: dataDir }), file: path.join(dataDir, "users.json") };
}

describe("verifyCredentials", () => {
  it("accepts the right password against a bcrypt hash and refuses a wrong one", async () => {
    const config = loadConfig({
      ...remote,
      FANOUT_USERS: JSON.stringify([{ username: "ana", passwordHash: hash, role: "admin" }]),
    });
    expect(await verifyCredentials("ana", "correct horse", config)).toMatchObject({ username: "ana", role: "admin" });
    expect(await verifyCredentials("ana", "wrong", config)).toBeUndefined();
    expect(await verifyCredentials("bob", "correct horse", config)).toBeUndefined();
  });

  it("accepts a plain password in local mode", async () => {
    const config = loadConfig({
      ...local,
      FANOUT_USERS: JSON.stringify([{ username: "ana", password: "pw-1", role: "viewer" }]),
    });
    expect(await verifyCredentials("ana", "pw-1", config)).toMatchObject({ role: "viewer" });
    expect(await verifyCredentials("ana", "pw-2", config)).toBeUndefined();
    expect(await verifyCredentials("ana", "pw-1 ", config)).toBeUndefined();
  });

  it("ignores plain-password entries of the users file outside local mode", async () => {
    const { config } = withUsersFile(remote, [
      { username: "ana", password: "pw-1", role: "admin" },
      { username: "bob", passwordHash: hash, role: "viewer" },
    ]);
    expect(await verifyCredentials("ana", "pw-1", config)).toBeUndefined();
    expect(await verifyCredentials("bob", "correct horse", config)).toMatchObject({ role: "viewer" });
  });
});

describe("the decoy for unknown user names", () => {
  it("has the cost of the configured users' hashes, so an unknown name takes as long as a wrong password", () => {
    const users = [{ username: "ana", passwordHash: hash, role: "admin" as const }];
    expect(bcrypt.getRounds(decoyHashFor(users)!)).toBe(4);
    const cost5 = bcrypt.hashSync("x", 5);
    expect(
      bcrypt.getRounds(
        decoyHashFor([
          ...users,
          { username: "bo", passwordHash: cost5, role: "viewer" as const },
          { username: "cy", passwordHash: cost5, role: "viewer" as const },
        ])!,
      ),
    ).toBe(5);
  });

  it("is a plain compare when the users have plain passwords only (local mode)", () => {
    expect(decoyHashFor([{ username: "ana", password: "pw-1", role: "viewer" }])).toBeUndefined();
  });
});

describe("the users file", () => {
  it("is read again when it changes, so a role change or removal applies at once", () => {
    const { config, file } = withUsersFile(local, [{ username: "ana", passwordHash: hash, role: "viewer" }]);
    expect(findUser("ana", config)?.role).toBe("viewer");
    writeFileSync(
      file,
      JSON.stringify([
        { username: "ana", passwordHash: hash, role: "operator" },
        { username: "bob", passwordHash: hash, role: "admin" },
      ]),
    );
    expect(findUser("ana", config)?.role).toBe("operator");
    writeFileSync(file, JSON.stringify([{ username: "bob", passwordHash: hash, role: "admin" }]));
    expect(findUser("ana", config)).toBeUndefined();
  });

  it("yields no users when missing or invalid, rather than crashing sign-in", () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "fanout-users-"));
    expect(findUser("ana", loadConfig({ ...local, FANOUT_DATA_DIR: dataDir }))).toBeUndefined();
    const original = console.error;
    console.error = () => {};
    try {
      const { config } = withUsersFile(local, [{ username: "ana", role: "superuser", passwordHash: hash }]);
      expect(findUser("ana", config)).toBeUndefined();
    } finally {
      console.error = original;
    }
  });

  it("keeps the last valid users while the file is caught half-written, so no session ends for it", () => {
    const { config, file } = withUsersFile(local, [{ username: "ana", passwordHash: hash, role: "viewer" }]);
    expect(findUser("ana", config)?.role).toBe("viewer");
    const original = console.error;
    const logged: unknown[] = [];
    console.error = (line: unknown) => logged.push(line);
    try {
      writeFileSync(file, '[{"username": "ana", "passwordHa');
      expect(findUser("ana", config)?.role).toBe("viewer");
      expect(findUser("ana", config)?.role).toBe("viewer");
      expect(logged).toHaveLength(1); // said once, not on every request
    } finally {
      console.error = original;
    }
    writeFileSync(file, JSON.stringify([{ username: "ana", passwordHash: hash, role: "admin" }]));
    expect(findUser("ana", config)?.role).toBe("admin");
  });

  it("reads roles per environment, and ignores a file whose roles name an environment not configured", () => {
    const environments = environmentsValue("production", "staging");
    const { config, file } = withUsersFile({ ...local, FANOUT_ENVIRONMENTS: environments }, [
      { username: "cy", passwordHash: hash, role: "viewer", roles: { staging: "operator" } },
    ]);
    expect(findUser("cy", config)).toMatchObject({ role: "viewer", roles: { staging: "operator" } });
    const original = console.error;
    const logged: unknown[] = [];
    console.error = (line: unknown) => logged.push(line);
    try {
      writeFileSync(
        file,
        JSON.stringify([
          { username: "cy", passwordHash: hash, role: "viewer", roles: { staging: "admin", stagin: "admin" } },
        ]),
      );
      // The last valid list stands, as for any invalid file.
      expect(findUser("cy", config)?.roles).toEqual({ staging: "operator" });
      expect(String(logged[0])).toContain("[0].roles.stagin: not a configured environment (production, staging)");
    } finally {
      console.error = original;
    }
  });
});
