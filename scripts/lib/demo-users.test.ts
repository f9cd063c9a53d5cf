import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import bcrypt from "bcryptjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  describeLogin,
  ensureDemoUsers,
  passwordsFileName,
  passwordsFileText,
  readPasswordsFile,
  writePrivateFile,
} from "./demo-users";

let dataDir: string;
beforeEach(() => void (dataDir = mkdtempSync(path.join(tmpdir(), "fanout-demo-users-"))));
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const modeOf = (file: string) => statSync(file).mode & 0o777;
const storedUsers = () =>
  JSON.parse(readFileSync(path.join(dataDir, "users.json"), "utf8")) as Array<{
    username: string;
    role: string;
    passwordHash: string;
  }>;

describe("ensureDemoUsers", () => {
  it("writes the new passwords to a file only the user can read, each matching its stored hash", () => {
    const users = ensureDemoUsers(dataDir, false);
    expect(users.created).toBe(true);
    expect(users.passwordsFile).toBe(path.join(dataDir, passwordsFileName));
    expect(modeOf(users.passwordsFile!)).toBe(0o600);
    expect(modeOf(users.usersFile)).toBe(0o600);

    const written = readPasswordsFile(users.passwordsFile!)!;
    expect(written.map((l) => [l.username, l.role])).toEqual([
      ["viewer", "viewer"],
      ["operator", "operator"],
      ["admin", "admin"],
      ["contractor", "viewer"],
    ]);
    expect(written).toEqual(users.logins.map(({ roles: _, ...login }) => login));
    for (const user of storedUsers()) {
      const login = written.find((l) => l.username === user.username)!;
      expect(bcrypt.compareSync(login.password, user.passwordHash)).toBe(true);
    }
  });

  it("makes contractor an operator in staging and a viewer elsewhere, and says so in the passwords file", () => {
    const users = ensureDemoUsers(dataDir, false);
    expect(storedUsers().find((u) => u.username === "contractor")).toMatchObject({
      role: "viewer",
      roles: { staging: "operator" },
    });
    expect(storedUsers().filter((u) => "roles" in u)).toHaveLength(1);
    expect(readFileSync(users.passwordsFile!, "utf8")).toMatch(
      /^viewer +contractor +\S+ +# operator in staging, viewer elsewhere$/m,
    );
    expect(users.logins.map(describeLogin)).toEqual([
      "viewer",
      "operator",
      "admin",
      "contractor (operator in staging, viewer elsewhere)",
    ]);
  });

  it("adds contractor to the users of an older run, keeping their passwords, while the file matches them", () => {
    const first = ensureDemoUsers(dataDir, false);
    const before = readPasswordsFile(first.passwordsFile!)!.filter((l) => l.username !== "contractor");
    writeFileSync(first.usersFile, JSON.stringify(storedUsers().filter((u) => u.username !== "contractor")));
    writeFileSync(first.passwordsFile!, passwordsFileText(before, new Date()));

    const later = ensureDemoUsers(dataDir, false);
    expect(later).toMatchObject({ created: true, passwordsFile: first.passwordsFile });
    const after = readPasswordsFile(first.passwordsFile!)!;
    expect(after.slice(0, 3)).toEqual(before);
    expect(after.map((l) => l.username)).toEqual(["viewer", "operator", "admin", "contractor"]);
    for (const user of storedUsers()) {
      expect(bcrypt.compareSync(after.find((l) => l.username === user.username)!.password, user.passwordHash)).toBe(
        true,
      );
    }
  });

  it("keeps the file on a later run while it still matches the users", () => {
    const first = ensureDemoUsers(dataDir, false);
    const text = readFileSync(first.passwordsFile!, "utf8");
    const later = ensureDemoUsers(dataDir, false);
    expect(later).toMatchObject({ created: false, passwordsFile: first.passwordsFile });
    expect(later.logins.every((l) => l.password === undefined)).toBe(true);
    expect(readFileSync(first.passwordsFile!, "utf8")).toBe(text);
  });

  it("removes the file on a later run when the users changed since, so it never offers a wrong password", () => {
    const first = ensureDemoUsers(dataDir, false);
    const users = storedUsers();
    users[0]!.passwordHash = bcrypt.hashSync("changed by hand", 4);
    writeFileSync(first.usersFile, JSON.stringify(users));
    const later = ensureDemoUsers(dataDir, false);
    expect(later.passwordsFile).toBeUndefined();
    expect(() => statSync(first.passwordsFile!)).toThrow(/ENOENT/);
  });

  it("overwrites the file with the new passwords on --reset-users, mode 0600 whatever it was", () => {
    const first = ensureDemoUsers(dataDir, false);
    const before = readPasswordsFile(first.passwordsFile!)!;
    chmodSync(first.passwordsFile!, 0o644);
    const reset = ensureDemoUsers(dataDir, true);
    expect(reset.created).toBe(true);
    const after = readPasswordsFile(reset.passwordsFile!)!;
    expect(after.map((l) => l.password)).not.toEqual(before.map((l) => l.password));
    expect(modeOf(reset.passwordsFile!)).toBe(0o600);
  });
});

describe("writePrivateFile", () => {
  it("replaces a readable file with one of mode 0600, under a permissive umask too", () => {
    const file = path.join(dataDir, "secret.txt");
    writeFileSync(file, "old", { mode: 0o644 });
    const umask = process.umask(0o000);
    try {
      writePrivateFile(file, "new");
    } finally {
      process.umask(umask);
    }
    expect(readFileSync(file, "utf8")).toBe("new");
    expect(modeOf(file)).toBe(0o600);
  });
});
