import path from "node:path";
import { parseArgs } from "node:util";
import { commandConfig } from "./lib/command-config";
import { backendOf, connectStore, migrateStore, openStore, storeMigrationState } from "../lib/store/db";
import { copyStore } from "../lib/store/copy";
import { storeLocation } from "../lib/store";

/**
 * The store's operator commands, with the console's own configuration (FANOUT_DATABASE_URL, else the
 * SQLite file in FANOUT_DATA_DIR):
 *
 * - `npm run db:migrate`: applies the migrations not yet applied (the console does too, at start-up,
 *   under the same lock) and prints each migration with whether it is applied.
 * - `npm run db:copy [-- --from <data dir>] [-- --to postgres://…]`: copies a data dir's SQLite store
 *   into an empty PostgreSQL database, every row, ids kept, in one transaction. Stop the console
 *   writing to the data dir first.
 *
 * Prints JSON; exits 1 on failure, 2 on a configuration error.
 */
async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({ args: rest, options: { from: { type: "string" }, to: { type: "string" } } });
  const config = commandConfig();
  const legacy = { region: config.region };
  if (command === "migrate") {
    const location = storeLocation(config);
    const backend = backendOf(location);
    const { db, adoptLegacy } = connectStore(location, legacy);
    try {
      const applied = await migrateStore(db, backend, adoptLegacy);
      console.log(
        JSON.stringify(
          { store: describe(location), applied, migrations: await storeMigrationState(db, backend) },
          null,
          2,
        ),
      );
    } finally {
      await db.destroy();
    }
    return;
  }
  if (command === "copy") {
    const databaseUrl = values.to ?? config.databaseUrl;
    if (!databaseUrl) {
      console.error("db:copy needs a PostgreSQL database to copy into: --to postgres://… or FANOUT_DATABASE_URL");
      process.exit(2);
    }
    const from = { sqliteFile: path.join(path.resolve(values.from ?? config.dataDir), "fanout.db") };
    const to = { databaseUrl, sqliteFile: from.sqliteFile };
    const source = await openStore(from, legacy);
    const target = await openStore(to, legacy);
    try {
      const rows = await copyStore(source, target, "postgresql");
      console.log(JSON.stringify({ from: describe(from), to: describe(to), rows }, null, 2));
    } finally {
      await Promise.all([source.destroy(), target.destroy()]);
    }
    return;
  }
  console.error("usage: tsx scripts/db.ts migrate | copy [--from <data dir>] [--to postgres://…]");
  process.exit(2);
}

/** Where a store is, without a password a database URL may hold. */
function describe(location: { databaseUrl?: string; sqliteFile: string }): string {
  if (!location.databaseUrl) return location.sqliteFile;
  const url = new URL(location.databaseUrl);
  if (url.password) url.password = "****";
  return url.toString();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
