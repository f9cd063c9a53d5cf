import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import bcrypt from "bcryptjs";
import { roles } from "../../lib/domain/roles";

export interface DemoLogin {
  username: string;
  role: string;
  password?: string;
}

/**
 * One demo user per role in the data dir's users.json, passwords random and stored hashed. The
 * passwords are returned only when the users are created: afterwards only their hashes exist.
 */
export function ensureDemoUsers(
  dataDir: string,
  reset: boolean,
): { created: boolean; logins: DemoLogin[]; file: string } {
  const file = path.join(dataDir, "users.json");
  if (existsSync(file) && !reset) {
    const users = JSON.parse(readFileSync(file, "utf8")) as Array<{ username: string; role: string }>;
    return { created: false, logins: users.map(({ username, role }) => ({ username, role })), file };
  }
  const logins = roles.map((role) => ({ username: role, role, password: randomBytes(9).toString("base64url") }));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const stored = logins.map(({ username, role, password }) => ({
    username,
    role,
    passwordHash: bcrypt.hashSync(password, 10),
  }));
  writeFileSync(file, JSON.stringify(stored, null, 2) + "\n", { mode: 0o600 });
  return { created: true, logins, file };
}
