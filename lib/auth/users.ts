import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import bcrypt from "bcryptjs";
import { getConfig, rolesOutsideEnvironments, usersSchema, type Config, type UserEntry } from "../env";
import { decoyCost, PASSWORD_HASH_COST } from "../domain/password-cost";

/**
 * Console users come from FANOUT_USERS or, when it is unset, `users.json` in the data dir. The
 * file is read on every lookup, so removing a user or changing a role takes effect on
 * that user's next request.
 */

export function usersFilePath(config: Config): string {
  return path.join(config.dataDir, "users.json");
}

let fileCache: { key: string; file: string; users: UserEntry[] } | undefined;
let reportedInvalid: string | undefined;

function readUsersFile(config: Config): UserEntry[] {
  const file = usersFilePath(config);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  // A few hundred bytes read per request; parsed again only when the text changed.
  const environmentIds = config.environments.map((environment) => environment.id);
  const key = `${config.localMode}|${environmentIds.join(",")}|${file}|${text}`;
  if (fileCache?.key === key) return fileCache.users;
  try {
    const parsed = usersSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(parsed.error.message);
    const unknown = rolesOutsideEnvironments(parsed.data as UserEntry[], config.environments);
    if (unknown.length > 0)
      throw new Error(`${unknown.join(", ")}: not a configured environment (${environmentIds.join(", ")})`);
    // Plain passwords are for local mode only, wherever the users come from.
    const users = (parsed.data as UserEntry[]).filter((u) => config.localMode || u.passwordHash !== undefined);
    fileCache = { key, file, users };
    return users;
  } catch (err) {
    if (reportedInvalid !== key)
      console.error(`[auth] ${file} is invalid and was ignored: ${err instanceof Error ? err.message : err}`);
    reportedInvalid = key;
    // A file caught half-written (or mistyped) must not read as "no users": that would end every
    // session as if its user had been removed. The last valid list stands until the file is valid again.
    return fileCache?.file === file ? fileCache.users : [];
  }
}

export function listUsers(config: Config = getConfig()): UserEntry[] {
  return config.users ?? readUsersFile(config);
}

export function findUser(username: string, config: Config = getConfig()): UserEntry | undefined {
  return listUsers(config).find((u) => u.username === username);
}

const decoyHashes = new Map<number, string>();

/**
 * Compared against when the user does not exist, so a wrong username costs as long as a wrong
 * password: a hash of the cost the configured users' hashes have (see lib/domain/password-cost.ts);
 * undefined when no user has a hash (local mode, plain passwords), where a plain compare is the match.
 */
export function decoyHashFor(users: readonly UserEntry[]): string | undefined {
  const hashes = users.flatMap((u) => (u.passwordHash ? [u.passwordHash] : []));
  if (hashes.length === 0 && users.length > 0) return undefined;
  const cost = decoyCost(hashes) ?? PASSWORD_HASH_COST;
  let hash = decoyHashes.get(cost);
  if (!hash) decoyHashes.set(cost, (hash = bcrypt.hashSync("fanout-decoy-password", cost)));
  return hash;
}

/** The user if the password is theirs, else undefined. */
export async function verifyCredentials(
  username: string,
  password: string,
  config: Config = getConfig(),
): Promise<UserEntry | undefined> {
  const users = listUsers(config);
  const user = users.find((u) => u.username === username);
  if (!user) {
    const decoy = decoyHashFor(users);
    if (decoy) await bcrypt.compare(password, decoy);
    else timingSafeEqualText(password, "fanout-decoy-password");
    return undefined;
  }
  if (user.passwordHash) return (await bcrypt.compare(password, user.passwordHash)) ? user : undefined;
  if (config.localMode && user.password !== undefined)
    return timingSafeEqualText(password, user.password) ? user : undefined;
  return undefined;
}

function timingSafeEqualText(a: string, b: string): boolean {
  // Equal-length digests, so neither the length nor the first differing byte leaks.
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}
