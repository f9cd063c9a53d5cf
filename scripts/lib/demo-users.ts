import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import bcrypt from "bcryptjs";
import { roles, type EnvironmentRoles } from "../../lib/domain/roles";

export interface DemoLogin {
  username: string;
  role: string;
  /** Per environment id, where the user's role differs from `role` (the users file's `roles`). */
  roles?: EnvironmentRoles;
  password?: string;
}

type LoginWithPassword = DemoLogin & { password: string };

interface StoredUser {
  username: string;
  role: string;
  roles?: EnvironmentRoles;
  passwordHash: string;
}

export interface DemoUsers {
  /** Whether users (and so their passwords) were made by this call. */
  created: boolean;
  logins: DemoLogin[];
  usersFile: string;
  /** The file holding the current passwords; undefined when they are no longer known. */
  passwordsFile: string | undefined;
}

/**
 * The demo's users: one per role, that role everywhere; and `contractor`, an operator in staging
 * and a viewer in production (environment ids of scripts/lib/demo-environments.ts), the user the
 * console must not let act in production.
 */
export const demoUsers: ReadonlyArray<Omit<DemoLogin, "password">> = [
  ...roles.map((role) => ({ username: role, role })),
  { username: "contractor", role: "viewer", roles: { staging: "operator" } },
];

export const passwordsFileName = "demo-passwords.txt";

/**
 * The demo users in the data dir's users.json, passwords random and stored hashed. The plain
 * passwords go to demo-passwords.txt beside it, readable by the user alone, so they can be read
 * when the start banner has long scrolled away. A later run keeps that file while it still matches
 * users.json and removes it otherwise, so the file never offers a password that fails; while it
 * matches, demo users missing from an older users.json (contractor) are added to both.
 */
export function ensureDemoUsers(dataDir: string, reset: boolean): DemoUsers {
  const usersFile = path.join(dataDir, "users.json");
  const passwordsFile = path.join(dataDir, passwordsFileName);
  if (existsSync(usersFile) && !reset) {
    const stored = JSON.parse(readFileSync(usersFile, "utf8")) as StoredUser[];
    const logins: DemoLogin[] = stored.map(({ passwordHash: _, ...login }) => login);
    const written = readPasswordsFile(passwordsFile);
    if (!written || !passwordsMatch(written, stored)) {
      rmSync(passwordsFile, { force: true });
      return { created: false, logins, usersFile, passwordsFile: undefined };
    }
    const missing = demoUsers.filter((demo) => !stored.some((user) => user.username === demo.username));
    if (missing.length === 0) return { created: false, logins, usersFile, passwordsFile };
    const kept = logins.map((login) => ({
      ...login,
      password: written.find((w) => w.username === login.username)!.password,
    }));
    const added = withPasswords(missing);
    writeUsers(usersFile, passwordsFile, [...kept, ...added], [...stored, ...hashed(added)]);
    return { created: true, logins: [...logins, ...added], usersFile, passwordsFile };
  }
  const logins = withPasswords(demoUsers);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeUsers(usersFile, passwordsFile, logins, hashed(logins));
  return { created: true, logins, usersFile, passwordsFile };
}

const withPasswords = (users: ReadonlyArray<Omit<DemoLogin, "password">>): LoginWithPassword[] =>
  users.map((user) => ({ ...user, password: randomBytes(9).toString("base64url") }));

const hashed = (logins: LoginWithPassword[]): StoredUser[] =>
  logins.map(({ password, ...user }) => ({ ...user, passwordHash: bcrypt.hashSync(password, 10) }));

function writeUsers(usersFile: string, passwordsFile: string, logins: LoginWithPassword[], stored: StoredUser[]) {
  writePrivateFile(usersFile, JSON.stringify(stored, null, 2) + "\n");
  writePrivateFile(passwordsFile, passwordsFileText(logins, new Date()));
}

/** "operator in staging, viewer elsewhere" for a user whose role differs by environment, else "". */
function rolesByEnvironment(login: DemoLogin): string {
  const differing = Object.entries(login.roles ?? {});
  if (differing.length === 0) return "";
  return `${differing.map(([environment, role]) => `${role} in ${environment}`).join(", ")}, ${login.role} elsewhere`;
}

/** "contractor (operator in staging, viewer elsewhere)"; a user with one role everywhere by name alone. */
export function describeLogin(login: DemoLogin): string {
  const roles = rolesByEnvironment(login);
  return roles ? `${login.username} (${roles})` : login.username;
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

/** One login a line; a role that differs by environment follows as a comment, which reading ignores. */
export function passwordsFileText(logins: LoginWithPassword[], madeAt: Date): string {
  const line = (role: string, username: string, password: string, note = "") =>
    `${role.padEnd(10)}${username.padEnd(12)}${note ? `${password.padEnd(14)}# ${note}` : password}`;
  return [
    `# Fanout demo logins, made ${madeAt.toISOString()}. Readable by you alone.`,
    "# New passwords: npm run demo -- --reset-users (rewrites this file).",
    line(...header),
    ...logins.map((l) => line(l.role, l.username, l.password, rolesByEnvironment(l))),
    "",
  ].join("\n");
}

/** The logins of a passwords file, or undefined when there is none or it is not one. */
export function readPasswordsFile(file: string): LoginWithPassword[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const rows = text
    .split("\n")
    .filter((line) => line.trim() && !line.startsWith("#"))
    .map((line) => line.replace(/#.*/, "").trim().split(/\s+/));
  if (rows[0]?.join(" ") !== header.join(" ")) return undefined;
  const logins = rows.slice(1).map(([role, username, password]) => ({ role, username, password }));
  return logins.every((l): l is LoginWithPassword => !!(l.role && l.username && l.password)) ? logins : undefined;
}

/** Whether the file's logins are exactly the stored users, each password matching its hash. */
function passwordsMatch(logins: LoginWithPassword[], stored: StoredUser[]): boolean {
  return (
    logins.length === stored.length &&
    stored.every((user) =>
      logins.some(
        (l) =>
          l.username === user.username && l.role === user.role && bcrypt.compareSync(l.password, user.passwordHash),
      ),
    )
  );
}
