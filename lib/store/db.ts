import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/**
 * The console's own durable state (audit log, filter-policy history) in one SQLite file in the
 * data dir. Migrations are numbered and applied in order, once; the file keeps its version.
 */

const migrations: string[] = [
  `CREATE TABLE audit (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     actor TEXT NOT NULL,
     role TEXT NOT NULL,
     action TEXT NOT NULL,
     target TEXT NOT NULL,
     before_json TEXT,
     after_json TEXT,
     request_id TEXT NOT NULL,
     outcome TEXT NOT NULL,
     detail TEXT
   );
   CREATE INDEX audit_target ON audit (target, id);
   CREATE TABLE policy_versions (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     subscription_arn TEXT NOT NULL,
     at TEXT NOT NULL,
     actor TEXT NOT NULL,
     scope TEXT NOT NULL,
     policy TEXT,
     note TEXT
   );
   CREATE INDEX policy_versions_subscription ON policy_versions (subscription_arn, id);`,
  `CREATE TABLE sample_messages (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     name TEXT NOT NULL UNIQUE,
     body TEXT NOT NULL,
     attributes_json TEXT NOT NULL,
     created_by TEXT NOT NULL,
     created_at TEXT NOT NULL
   );`,
];

export function openDatabase(file: string): Database.Database {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  const version = db.pragma("user_version", { simple: true }) as number;
  for (let i = version; i < migrations.length; i++) {
    db.transaction(() => {
      db.exec(migrations[i]!);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
  return db;
}
