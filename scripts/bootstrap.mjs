// Installs the npm dependencies when node_modules is missing or was installed from another
// package-lock.json, so `npm run demo` and `npm test` work from a fresh clone. Plain Node on purpose:
// nothing else is installed yet when it runs.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const stamp = "node_modules/.fanout-lock-hash";
const lockHash = createHash("sha256").update(readFileSync("package-lock.json")).digest("hex");

if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== lockHash) {
  console.log("[setup] installing npm dependencies (npm ci)…");
  const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { stdio: "inherit" });
  if (result.status !== 0) {
    console.error("[setup] npm ci failed; fix the error above and run the command again.");
    process.exit(result.status ?? 1);
  }
  writeFileSync(stamp, lockHash);
}
