import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import bcrypt from "bcryptjs";
import { roles } from "../../lib/domain/roles";

export interface DemoLogin {
  username: string;
  role: string;
  password?: string;
}

interface StoredUser {
  username: string;
  role: string;
  passwordHash: string;
}

export interface DemoUsers {
  /** Whether the users (and so their passwords) were made by this call. */
  created: boolean;
  logins: DemoLogin[];
  usersFile: string;
  /** The file holding the current passwords; undefined when they are no longer known. */
  passwordsFile: string | undefined;
}

export const passwordsFileName = "demo-passwords.txt";

/**
 * One demo user per role in the data dir's users.json, passwords random and stored hashed. The
 * plain passwords go to demo-passwords.txt beside it, readable by the user alone, so they can be
 * read when the start banner has long scrolled away. A later run keeps that file while it still
 * matches users.json and removes it otherwise, so the file never offers a password that fails.
 */
export function ensureDemoUsers(dataDir: string, reset: boolean): DemoUsers {
  const usersFile = path.join(dataDir, "users.json");
  const passwordsFile = path.join(dataDir, passwordsFileName);
  if (existsSync(usersFile) && !reset) {
    const stored = JSON.parse(readFileSync(usersFile, "utf8")) as StoredUser[];
    const logins = stored.map(({ username, role }) => ({ username, role }));
    if (passwordsMatch(readPasswordsFile(passwordsFile), stored))
      return { created: false, logins, usersFile, passwordsFile };
    rmSync(passwordsFile, { force: true });
    return { created: false, logins, usersFile, passwordsFile: undefined };
  }
  const logins = roles.map((role) => ({ username: role, role, password: randomBytes(9).toString("base64url") }));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const stored: StoredUser[] = logins.map(({ username, role, password }) => ({
    username,
    role,
    passwordHash: bcrypt.hashSync(password, 10),
  }));
  writePrivateFile(usersFile, JSON.stringify(stored, null, 2) + "\n");
  writePrivateFile(passwordsFile, passwordsFileText(logins, new Date()));
  return { created: true, logins, usersFile, passwordsFile };
}

/**
 * Replaces `file` with `text`, mode 0600 (less under a stricter umask) whatever the old file's mode
 * was: written beside it and renamed over it, so a reader never sees half a file and a link in its
 * place is replaced, not written through.
 */
export function writePrivateFile(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  writeFileSync(temporary, text, { mode: 0o600, flag: "wx" });
  renameSync(temporary, file);
}

const header = ["role", "username", "password"] as const;

export function passwordsFileText(logins: Array<Required<DemoLogin>>, madeAt: Date): string {
  const rows = [header, ...logins.map((l) => [l.role, l.username, l.password] as const)];
  return [
    `# Fanout demo logins, made ${madeAt.toISOString()}. Readable by you alone.`,
    "# New passwords: npm run demo -- --reset-users (rewrites this file).",
    ...rows.map(([role, username, password]) => `${role.padEnd(10)}${username.padEnd(10)}${password}`),
    "",
  ].join("\n");
}

/** The logins of a passwords file, or undefined when there is none or it is not one. */
export function readPasswordsFile(file: string): Array<Required<DemoLogin>> | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const rows = text
    .split("\n")
    .filter((line) => line.trim() && !line.startsWith("#"))
    .map((line) => line.trim().split(/\s+/));
  if (rows[0]?.join(" ") !== header.join(" ")) return undefined;
  const logins = rows.slice(1).map(([role, username, password]) => ({ role, username, password }));
  return logins.every((l): l is Required<DemoLogin> => !!(l.role && l.username && l.password)) ? logins : undefined;
}

/** Whether the file's logins are exactly the stored users, each password matching its hash. */
function passwordsMatch(logins: Array<Required<DemoLogin>> | undefined, stored: StoredUser[]): boolean {
  return (
    logins?.length === stored.length &&
    stored.every((user) =>
      logins.some(
        (l) =>
          l.username === user.username && l.role === user.role && bcrypt.compareSync(l.password, user.passwordHash),
      ),
    )
  );
}
