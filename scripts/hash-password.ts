/**
 * Prints a bcrypt hash for a console password, for FANOUT_USERS or the users file:
 *   npx tsx scripts/hash-password.ts            (reads the password from standard input)
 */
import bcrypt from "bcryptjs";
import { PASSWORD_HASH_COST } from "../lib/domain/password-cost";

async function main() {
  const chunks: Buffer[] = [];
  if (process.stdin.isTTY) process.stderr.write("Password (then Enter, Ctrl-D): ");
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
  if (password.length < 12) {
    console.error("Use a password of at least 12 characters.");
    process.exit(2);
  }
  console.log(bcrypt.hashSync(password, PASSWORD_HASH_COST));
}

void main();
