// Installs the npm dependencies when node_modules is missing or was installed from another
// package-lock.json, so `npm run demo` and `npm test` work from a fresh clone. Plain Node on purpose:
// nothing else is installed yet when it runs.
//
// With a command after it (`node scripts/bootstrap.mjs tsx scripts/demo.ts`), it then runs that
// command with FANOUT_STARTED_AT set to when this process started (ms since the epoch), so the
// demo's "ready in" counts the whole first run, `npm ci` included (scripts/lib/elapsed.ts).
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { constants } from "node:os";

const startedAt = Math.round(performance.timeOrigin);
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

const [command, ...args] = process.argv.slice(2);
if (command) {
  // Found on the PATH npm run gives scripts (node_modules/.bin), which npm ci has just filled.
  const child = spawn(command, args, {
    stdio: "inherit",
    env: { ...process.env, FANOUT_STARTED_AT: String(startedAt) },
  });
  // A terminal's Ctrl-C reaches the child too; a signal sent to this process alone is passed on.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("error", (err) => {
    console.error(`[setup] could not run ${command}: ${err.message}`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
}
